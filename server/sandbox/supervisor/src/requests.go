package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
)

// request holds the fields of every op; each handler reads its own.
type request struct {
	Op  string `json:"op"`
	Rid int64  `json:"-"`

	Argv        []string `json:"argv"`
	Env         []string `json:"env"`
	Cwd         string   `json:"cwd"`
	WorkDir     string   `json:"workDir"`
	Stdin       bool     `json:"stdin"`
	Keep        bool     `json:"keep"`
	Name        string   `json:"name"`
	BufferBytes int64    `json:"bufferBytes"`

	Proc         string `json:"proc"`
	Signal       string `json:"signal"`
	Tree         bool   `json:"tree"`
	StdoutOffset *int64 `json:"stdoutOffset"`
	StderrOffset *int64 `json:"stderrOffset"`
	Stream       string `json:"stream"`
	Offset       int64  `json:"offset"`
	Max          *int64 `json:"max"`

	Path      string  `json:"path"`
	Follow    *bool   `json:"follow"`
	Mode      *uint32 `json:"mode"`
	Append    bool    `json:"append"`
	Mkdirs    bool    `json:"mkdirs"`
	Parents   bool    `json:"parents"`
	From      string  `json:"from"`
	To        string  `json:"to"`
	Overwrite bool    `json:"overwrite"`
	Recursive bool    `json:"recursive"`

	Depth      int      `json:"depth"`
	FilesOnly  bool     `json:"filesOnly"`
	Hidden     bool     `json:"hidden"`
	Skip       []string `json:"skip"`
	Pattern    string   `json:"pattern"`
	IgnoreCase bool     `json:"ignoreCase"`
	Fixed      bool     `json:"fixed"`
	Include    string   `json:"include"`
	TimeoutMs  int64    `json:"timeoutMs"`
	Token      string   `json:"token"`

	badFields error // set when the object has a rid but fields of the wrong type
}

// parseRequest fails (→ "fatal") only when there is no rid to reply to.
func parseRequest(header []byte) (*request, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(header, &raw); err != nil {
		return nil, fmt.Errorf("bad JSON header: %v", err)
	}
	req := &request{}
	if err := json.Unmarshal(raw["rid"], &req.Rid); err != nil || raw["rid"] == nil {
		return nil, errors.New("request without an integer rid")
	}
	req.badFields = json.Unmarshal(header, req)
	return req, nil
}

// dispatch runs in the connection's reader. Ops whose frames must stay in
// order (write chunks, stdin) are handled or queued here; the rest run
// concurrently.
func (c *conn) dispatch(req *request, data []byte) {
	defer c.recoverPanic(req)
	if req.badFields != nil {
		c.fail(req.Rid, "bad_request", req.badFields.Error(), nil)
		return
	}
	switch req.Op {
	case "write":
		c.writeStart(req, data)
	case "write_chunk":
		c.writeChunk(req, data)
	case "write_end":
		c.writeEnd(req)
	case "write_abort":
		c.writeAbort(req)
	case "stdin", "stdin_close":
		p := findProc(req.Proc)
		if p == nil {
			c.fail(req.Rid, "not_found", "no process "+req.Proc, nil)
			return
		}
		p.queueStdin(stdinReq{c: c, rid: req.Rid, data: data, close: req.Op == "stdin_close"})
	case "dial": // not in handlers: serving the new connection leads back to them
		go c.dialOp(req)
	default:
		go c.handle(req)
	}
}

// recoverPanic keeps one bad request from taking down PID 1.
func (c *conn) recoverPanic(req *request) {
	if r := recover(); r != nil {
		fmt.Fprintf(os.Stderr, "tidepool-supervisor: panic in %s: %v\n%s", req.Op, r, debug.Stack())
		c.fail(req.Rid, "io", fmt.Sprint("internal error: ", r), nil)
	}
}

// handlers run concurrently, one goroutine per request.
var handlers = map[string]func(*conn, *request){
	"start": (*conn).start, "signal": (*conn).signal, "kill": (*conn).kill, "attach": (*conn).attach,
	"detach": (*conn).detachOp, "list": (*conn).list, "read_output": (*conn).readOutput, "forget": (*conn).forget,
	"read": (*conn).readFile, "stat": (*conn).stat, "mkdir": (*conn).mkdir, "move": (*conn).move,
	"remove": (*conn).remove, "walk": (*conn).walkOp, "grep": (*conn).grepOp,
}

func (c *conn) handle(req *request) {
	defer c.recoverPanic(req)
	if h, ok := handlers[req.Op]; ok {
		h(c, req)
	} else {
		c.fail(req.Rid, "unknown_op", fmt.Sprintf("unknown op %q", req.Op), nil)
	}
}
