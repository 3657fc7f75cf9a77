package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

const (
	outChunk       = 64 << 10
	maxBufferBytes = 256 << 20 // per stream; bufferBytes above this is clamped
	stdinQueue     = 8         // stdin frames accepted ahead of the pipe
)

// signalNumbers: the signals a client may send (PROTOCOL.md, signal).
var signalNumbers = map[string]syscall.Signal{
	"INT": syscall.SIGINT, "TERM": syscall.SIGTERM, "KILL": syscall.SIGKILL, "HUP": syscall.SIGHUP,
	"QUIT": syscall.SIGQUIT, "USR1": syscall.SIGUSR1, "USR2": syscall.SIGUSR2,
}

type proc struct {
	id, name  string
	argv      []string
	keep      bool
	pid       int
	startedAt int64
	shim      *shimLease

	// sendMu orders event delivery: a replay on attach and live output
	// never overtake each other.
	sendMu sync.Mutex

	mu        sync.Mutex
	out       [2]*ring // stdout, stderr
	attached  map[*conn]struct{}
	eofs      int
	status    *syscall.WaitStatus // the command's exit, once known
	finished  bool                // exit event sent
	ownerLeft bool                // keep:false and its connection closed
	endedAt   int64

	stdinSlots chan struct{}
	stdinMu    sync.Mutex
	stdinQ     []stdinReq
	stdinBusy  bool
	stdin      *os.File // nil when /dev/null or closed
}

type stdinReq struct {
	c     *conn
	rid   int64
	data  []byte
	close bool
}

var registry = struct {
	sync.Mutex
	procs map[string]*proc
	next  int
}{procs: map[string]*proc{}}

func findProc(id string) *proc {
	registry.Lock()
	defer registry.Unlock()
	return registry.procs[id]
}

func nowMs() int64 { return time.Now().UnixNano() / 1e6 }

// mergeEnv adds (and overrides with) the request's KEY=VALUE pairs.
func mergeEnv(base, extra []string) []string {
	out := append([]string(nil), base...)
	for _, kv := range extra {
		key := kv
		if i := strings.IndexByte(kv, '='); i >= 0 {
			key = kv[:i]
		}
		replaced := false
		for i, old := range out {
			if strings.HasPrefix(old, key+"=") {
				out[i], replaced = kv, true
			}
		}
		if !replaced {
			out = append(out, kv)
		}
	}
	return out
}

// pipe makes a pipe whose end for us (reading or writing) is non-blocking,
// so Go's poller serves it; the child's end stays blocking.
func pipe(weRead bool) (r, w *os.File, err error) {
	var fds [2]int
	if err := syscall.Pipe2(fds[:], syscall.O_CLOEXEC); err != nil {
		return nil, nil, err
	}
	if weRead {
		syscall.SetNonblock(fds[0], true)
	} else {
		syscall.SetNonblock(fds[1], true)
	}
	return os.NewFile(uintptr(fds[0]), "pipe-r"), os.NewFile(uintptr(fds[1]), "pipe-w"), nil
}

func (c *conn) start(req *request) {
	if len(req.Argv) == 0 {
		c.fail(req.Rid, "bad_request", "argv is empty", nil)
		return
	}
	pipes, err := newCommandPipes(req.Stdin)
	if err != nil {
		c.failErr(req.Rid, err)
		return
	}
	cfg := shimMsg{T: "config", Argv: req.Argv, Env: mergeEnv(os.Environ(), req.Env), Cwd: req.Cwd, WorkDir: req.WorkDir}
	lease, first, err := startShim(cfg, pipes.child)
	pipes.closeChildEnds()
	if err != nil || first.T == "fail" {
		pipes.closeOurs()
		if err != nil {
			c.fail(req.Rid, "start_failed", err.Error(), nil)
			return
		}
		var extra obj
		if first.Resolved != "" {
			extra = obj{"resolved": first.Resolved}
		}
		c.fail(req.Rid, first.Code, first.Message, extra)
		return
	}
	buf := req.BufferBytes
	if buf < 0 {
		buf = 0
	}
	if buf > maxBufferBytes {
		buf = maxBufferBytes
	}
	p := &proc{
		name: req.Name, argv: req.Argv, keep: req.Keep, pid: first.Pid, startedAt: nowMs(), shim: lease,
		out:      [2]*ring{{cap: int(buf)}, {cap: int(buf)}},
		attached: map[*conn]struct{}{c: {}}, stdin: pipes.stdinW, stdinSlots: make(chan struct{}, stdinQueue),
	}
	registry.Lock()
	registry.next++
	p.id = fmt.Sprintf("p%d", registry.next)
	registry.procs[p.id] = p
	registry.Unlock()

	c.mu.Lock()
	gone := c.closed
	if !gone {
		c.attached[p] = struct{}{}
		if !p.keep {
			c.owned[p] = struct{}{}
		}
	}
	c.mu.Unlock()
	// The reply goes out before any output event naming the process.
	c.reply(req.Rid, obj{"proc": p.id, "pid": p.pid}, nil)
	go p.pump(0, pipes.stdoutR)
	go p.pump(1, pipes.stderrR)
	go p.watchShim()
	if gone && !p.keep {
		p.ownerGone()
	}
}

// commandPipes: a command's stdio. The child ends go to the shim (and are
// closed here once it has them); ours are non-blocking, for Go's poller.
type commandPipes struct {
	child                    [3]*os.File
	stdinW, stdoutR, stderrR *os.File // stdinW nil when the command's stdin is /dev/null
}

func newCommandPipes(stdin bool) (*commandPipes, error) {
	p := &commandPipes{}
	var err error
	if stdin {
		p.child[0], p.stdinW, err = pipe(false)
	}
	if err == nil {
		p.stdoutR, p.child[1], err = pipe(true)
	}
	if err == nil {
		p.stderrR, p.child[2], err = pipe(true)
	}
	if err != nil {
		p.closeChildEnds()
		p.closeOurs()
		return nil, err
	}
	if !stdin {
		p.child[0] = devNull()
	}
	return p, nil
}

func (p *commandPipes) closeChildEnds() {
	for _, f := range p.child {
		if f != nil && f != devNull() {
			f.Close()
		}
	}
}

func (p *commandPipes) closeOurs() {
	for _, f := range []*os.File{p.stdinW, p.stdoutR, p.stderrR} {
		if f != nil {
			f.Close()
		}
	}
}

// pump copies one output stream into the ring and to attached connections.
// Sending blocks on a full connection queue: that is the backpressure.
func (p *proc) pump(stream int, f *os.File) {
	names := [2]string{"stdout", "stderr"}
	for {
		buf := make([]byte, outChunk)
		n, err := f.Read(buf)
		if n > 0 {
			p.sendMu.Lock()
			p.mu.Lock()
			offset := p.out[stream].size
			p.out[stream].write(buf[:n])
			targets := p.targets()
			p.mu.Unlock()
			for _, c := range targets {
				c.send(obj{"ev": "out", "proc": p.id, "stream": names[stream], "offset": offset}, buf[:n])
			}
			p.sendMu.Unlock()
		}
		if err != nil {
			break
		}
	}
	f.Close()
	p.mu.Lock()
	p.eofs++
	p.mu.Unlock()
	p.maybeFinish()
}

// targets lists attached live connections; p.mu held.
func (p *proc) targets() []*conn {
	out := make([]*conn, 0, len(p.attached))
	for c := range p.attached {
		out = append(out, c)
	}
	return out
}

// watchShim waits for the command's status; when its shim died without
// reporting it (e.g. a user's `kill -9 -1`), the shim's own stands in.
func (p *proc) watchShim() {
	ws, died := p.shim.commandWaitStatus()
	if died {
		// Whatever the command left behind is now unsupervised: end its group.
		syscall.Kill(-p.pid, syscall.SIGKILL)
	}
	p.setStatus(ws)
}

func (p *proc) setStatus(ws syscall.WaitStatus) {
	p.mu.Lock()
	if p.status == nil {
		p.status = &ws
	}
	p.mu.Unlock()
	p.maybeFinish()
}

func exitCode(ws syscall.WaitStatus) (int, any) {
	if ws.Signaled() {
		return 128 + int(ws.Signal()), signalName(ws.Signal())
	}
	return ws.ExitStatus(), nil
}

var signalNames = map[syscall.Signal]string{syscall.SIGINT: "INT", syscall.SIGTERM: "TERM",
	syscall.SIGKILL: "KILL", syscall.SIGHUP: "HUP", syscall.SIGQUIT: "QUIT", syscall.SIGUSR1: "USR1",
	syscall.SIGUSR2: "USR2", syscall.SIGSEGV: "SEGV", syscall.SIGABRT: "ABRT", syscall.SIGPIPE: "PIPE",
	syscall.SIGBUS: "BUS", syscall.SIGFPE: "FPE", syscall.SIGILL: "ILL", syscall.SIGALRM: "ALRM",
	syscall.SIGTRAP: "TRAP", syscall.SIGSYS: "SYS", syscall.SIGXCPU: "XCPU", syscall.SIGXFSZ: "XFSZ"}

func signalName(s syscall.Signal) string {
	if name, ok := signalNames[s]; ok {
		return name
	}
	return fmt.Sprintf("SIG%d", int(s))
}

// maybeFinish sends the exit event once the command has exited and both
// pipes reached EOF.
func (p *proc) maybeFinish() {
	p.sendMu.Lock()
	defer p.sendMu.Unlock()
	p.mu.Lock()
	if p.finished || p.status == nil || p.eofs < 2 {
		p.mu.Unlock()
		return
	}
	p.finished = true
	p.endedAt = nowMs()
	code, sig := exitCode(*p.status)
	targets := p.targets()
	// A finished keep:false record stays for read_output until forget or its
	// connection closes, unless it kept no output: then it has nothing to give.
	drop := !p.keep && (p.ownerLeft || p.out[0].cap == 0)
	p.mu.Unlock()
	for _, c := range targets {
		c.send(obj{"ev": "exit", "proc": p.id, "code": code, "signal": sig}, nil)
	}
	p.closeStdin()
	if drop {
		p.drop()
	}
	if p.keep {
		go forgetOldestFinished()
	}
}

// maxFinishedKept bounds the finished kept processes (ended jobs) whose
// records and output stay for list and read_output: without it a long
// session's jobs would grow the supervisor's memory, which counts against the
// sandbox's limit.
const maxFinishedKept = 32

// forgetOldestFinished drops the oldest ended kept processes beyond the bound.
func forgetOldestFinished() {
	registry.Lock()
	procs := make([]*proc, 0, len(registry.procs))
	for _, p := range registry.procs {
		procs = append(procs, p)
	}
	registry.Unlock()
	type ended struct {
		p  *proc
		at int64
	}
	var finished []ended
	for _, p := range procs {
		p.mu.Lock()
		if p.keep && p.finished {
			finished = append(finished, ended{p, p.endedAt})
		}
		p.mu.Unlock()
	}
	if len(finished) <= maxFinishedKept {
		return
	}
	sort.Slice(finished, func(i, j int) bool { return finished[i].at > finished[j].at })
	for _, e := range finished[maxFinishedKept:] {
		e.p.forgetFinished()
	}
}

func (p *proc) drop() {
	registry.Lock()
	if registry.procs[p.id] == p {
		delete(registry.procs, p.id)
	}
	registry.Unlock()
}

// ownerGone: the connection that started a keep:false process closed.
func (p *proc) ownerGone() {
	p.mu.Lock()
	p.ownerLeft = true
	finished := p.finished
	p.mu.Unlock()
	if finished {
		p.drop()
	}
	go p.shim.request(shimMsg{T: "kill"}, killTimeout+time.Second)
}

func (p *proc) detach(c *conn) {
	p.sendMu.Lock()
	p.mu.Lock()
	delete(p.attached, c)
	p.mu.Unlock()
	p.sendMu.Unlock()
}

func (p *proc) running() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return !p.finished
}

// ---- stdin: frames are written in arrival order by one goroutine at a time ----

func (p *proc) queueStdin(r stdinReq) {
	p.stdinSlots <- struct{}{} // blocks the connection's reader when the pipe is not drained
	p.stdinMu.Lock()
	p.stdinQ = append(p.stdinQ, r)
	start := !p.stdinBusy
	p.stdinBusy = true
	p.stdinMu.Unlock()
	if start {
		go p.drainStdin()
	}
}

func (p *proc) drainStdin() {
	for {
		p.stdinMu.Lock()
		if len(p.stdinQ) == 0 {
			p.stdinBusy = false
			p.stdinMu.Unlock()
			return
		}
		r := p.stdinQ[0]
		p.stdinQ = p.stdinQ[1:]
		w := p.stdin
		if r.close {
			p.stdin = nil
		}
		p.stdinMu.Unlock()
		switch {
		case w == nil && r.close:
			r.c.ok(r.rid) // already closed (or never a pipe): nothing to do
		case w == nil:
			r.c.fail(r.rid, "bad_request", "stdin of "+p.id+" is not open", nil)
		case r.close:
			w.Close()
			r.c.ok(r.rid)
		default:
			if _, err := w.Write(r.data); err != nil {
				r.c.failErr(r.rid, err)
			} else {
				r.c.ok(r.rid)
			}
		}
		<-p.stdinSlots
	}
}

// closeStdin drops the pipe once the process is done; a blocked writer fails.
func (p *proc) closeStdin() {
	p.stdinMu.Lock()
	w := p.stdin
	p.stdin = nil
	p.stdinMu.Unlock()
	if w != nil {
		w.Close()
	}
}

// ---- requests ----

func (c *conn) procFor(req *request) *proc {
	p := findProc(req.Proc)
	if p == nil {
		c.fail(req.Rid, "not_found", "no process "+req.Proc, nil)
	}
	return p
}

func (c *conn) signal(req *request) {
	sig, ok := signalNumbers[req.Signal]
	if !ok {
		c.fail(req.Rid, "bad_request", fmt.Sprintf("unknown signal %q", req.Signal), nil)
		return
	}
	if p := c.procFor(req); p != nil {
		p.shim.request(shimMsg{T: "signal", Sig: int(sig), Tree: req.Tree}, 2*time.Second)
		c.ok(req.Rid)
	}
}

func (c *conn) kill(req *request) {
	if p := c.procFor(req); p != nil {
		if p.shim.request(shimMsg{T: "kill"}, killTimeout+500*time.Millisecond) {
			c.ok(req.Rid)
		} else {
			c.fail(req.Rid, "kill_incomplete", "processes of "+p.id+" survived 3 s of killing", nil)
		}
	}
}

func (c *conn) attach(req *request) {
	p := c.procFor(req)
	if p == nil {
		return
	}
	p.sendMu.Lock()
	defer p.sendMu.Unlock()
	p.mu.Lock()
	var replay [2][]byte
	var from [2]int64
	for i, off := range []*int64{req.StdoutOffset, req.StderrOffset} {
		if off != nil {
			from[i], replay[i] = p.out[i].read(*off, 1<<62)
		}
	}
	fields := p.statusFields()
	p.mu.Unlock()
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.attached[p] = struct{}{}
	c.mu.Unlock()
	p.mu.Lock()
	p.attached[c] = struct{}{}
	p.mu.Unlock()

	c.reply(req.Rid, fields, nil)
	for i, name := range []string{"stdout", "stderr"} {
		for b, off := replay[i], from[i]; len(b) > 0; {
			n := len(b)
			if n > outChunk {
				n = outChunk
			}
			c.send(obj{"ev": "out", "proc": p.id, "stream": name, "offset": off}, b[:n])
			b, off = b[n:], off+int64(n)
		}
	}
}

// statusFields: pid, running, code, signal and sizes; p.mu held.
func (p *proc) statusFields() obj {
	f := obj{"pid": p.pid, "running": !p.finished, "code": nil, "signal": nil,
		"stdoutSize": p.out[0].size, "stderrSize": p.out[1].size}
	if p.finished {
		f["code"], f["signal"] = exitCode(*p.status)
	}
	return f
}

func (c *conn) detachOp(req *request) {
	if p := c.procFor(req); p != nil {
		p.detach(c)
		c.mu.Lock()
		delete(c.attached, p)
		c.mu.Unlock()
		c.ok(req.Rid)
	}
}

func (c *conn) list(req *request) {
	registry.Lock()
	procs := make([]*proc, 0, len(registry.procs))
	for _, p := range registry.procs {
		procs = append(procs, p)
	}
	registry.Unlock()
	out := []obj{}
	for _, p := range procs {
		p.mu.Lock()
		if p.keep || !p.finished {
			f := p.statusFields()
			f["proc"], f["argv"], f["name"], f["keep"], f["startedAt"] = p.id, p.argv, p.name, p.keep, p.startedAt
			f["endedAt"] = nil
			if p.finished {
				f["endedAt"] = p.endedAt
			}
			out = append(out, f)
		}
		p.mu.Unlock()
	}
	c.reply(req.Rid, obj{"procs": out}, nil)
}

func (c *conn) readOutput(req *request) {
	p := c.procFor(req)
	if p == nil {
		return
	}
	stream := map[string]int{"stdout": 0, "stderr": 1}
	i, ok := stream[req.Stream]
	if !ok {
		c.fail(req.Rid, "bad_request", "stream must be stdout or stderr", nil)
		return
	}
	max := int64(1 << 20)
	if req.Max != nil && *req.Max < max {
		max = *req.Max
	}
	p.mu.Lock()
	from, data := p.out[i].read(req.Offset, max)
	size, running := p.out[i].size, !p.finished
	p.mu.Unlock()
	c.reply(req.Rid, obj{"offset": from, "next": from + int64(len(data)), "size": size, "running": running}, data)
}

func (c *conn) forget(req *request) {
	p := c.procFor(req)
	if p == nil {
		return
	}
	if p.running() {
		c.fail(req.Rid, "bad_request", p.id+" is still running", nil)
		return
	}
	p.forgetFinished()
	c.ok(req.Rid)
}

// forgetFinished drops a finished process's record; anything still under its
// shim (detached daemons) goes with it.
func (p *proc) forgetFinished() {
	go p.shim.request(shimMsg{T: "kill"}, killTimeout+time.Second)
	p.drop()
}

// ---- output ring: the newest cap bytes of a stream ----

type ring struct {
	cap  int
	data []byte // byte at stream offset o is data[o % cap]
	size int64  // bytes written so far
}

func (r *ring) write(b []byte) {
	if r.cap == 0 {
		r.size += int64(len(b))
		return
	}
	if int64(len(r.data)) == r.size && r.size+int64(len(b)) <= int64(r.cap) {
		r.data = append(r.data, b...) // still filling: offsets are indexes
		r.size += int64(len(b))
		return
	}
	if len(r.data) < r.cap {
		full := make([]byte, r.cap)
		copy(full, r.data)
		r.data = full
	}
	if len(b) > r.cap {
		r.size += int64(len(b) - r.cap)
		b = b[len(b)-r.cap:]
	}
	for len(b) > 0 {
		n := copy(r.data[r.size%int64(r.cap):], b)
		b = b[n:]
		r.size += int64(n)
	}
}

// read returns up to max bytes from offset (moved up to the oldest kept byte).
func (r *ring) read(offset, max int64) (int64, []byte) {
	kept := r.size
	if kept > int64(r.cap) {
		kept = int64(r.cap)
	}
	if offset < r.size-kept {
		offset = r.size - kept
	}
	if offset > r.size {
		offset = r.size
	}
	n := r.size - offset
	if n > max {
		n = max
	}
	if n <= 0 {
		return offset, nil
	}
	out := make([]byte, n)
	start := offset % int64(r.cap)
	k := copy(out, r.data[start:])
	copy(out[k:], r.data)
	return offset, out
}
