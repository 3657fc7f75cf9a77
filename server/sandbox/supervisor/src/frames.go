package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"sync"
)

const (
	maxFrame  = 1<<20 + 64<<10 // N: JSON length field + JSON + data
	maxHeader = 1<<16 - 1      // J is a u16
	outQueue  = 8              // frames queued per connection before senders block
)

// errProtocol marks input that breaks the framing: the peer gets "fatal".
type errProtocol struct{ msg string }

func (e errProtocol) Error() string { return e.msg }

// readFrame reads one frame, checking both lengths before allocating
// (anything in the sandbox can open the socket).
func readFrame(r io.Reader) (header, data []byte, err error) {
	var pre [6]byte
	if _, err = io.ReadFull(r, pre[:]); err != nil {
		return nil, nil, err
	}
	n := binary.BigEndian.Uint32(pre[:4])
	j := binary.BigEndian.Uint16(pre[4:])
	if n > maxFrame || n < 4 {
		return nil, nil, errProtocol{fmt.Sprintf("frame length %d out of range", n)}
	}
	if j < 2 || uint32(j) > n-2 {
		return nil, nil, errProtocol{fmt.Sprintf("header length %d out of range", j)}
	}
	buf := make([]byte, n-2)
	if _, err = io.ReadFull(r, buf); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, nil, err
	}
	return buf[:j], buf[j:], nil
}

func writeFrame(w io.Writer, header, data []byte) error {
	var pre [6]byte
	binary.BigEndian.PutUint32(pre[:4], uint32(2+len(header)+len(data)))
	binary.BigEndian.PutUint16(pre[4:], uint16(len(header)))
	if _, err := w.Write(pre[:]); err != nil {
		return err
	}
	if _, err := w.Write(header); err != nil {
		return err
	}
	_, err := w.Write(data)
	return err
}

type frame struct{ header, data []byte }

// conn is one client connection. Only writeLoop writes to the socket, so
// frames never interleave; the bounded queue is the backpressure point.
type conn struct {
	nc       net.Conn
	out      chan frame
	readEnd  chan struct{} // closed when the reader stops: the writer flushes and closes
	done     chan struct{} // closed when the writer stops: later frames are dropped
	doneOnce sync.Once

	mu       sync.Mutex
	closed   bool
	owned    map[*proc]struct{} // keep:false processes started here
	attached map[*proc]struct{}
	writes   map[int64]*pendingWrite
	failed   map[int64]bool // writes that already got their error reply
}

type obj = map[string]any

// serveConn serves one client; token (from `dial`) is echoed in the hello.
func serveConn(nc net.Conn, token string) {
	c := &conn{
		nc: nc, out: make(chan frame, outQueue), readEnd: make(chan struct{}), done: make(chan struct{}),
		owned: map[*proc]struct{}{}, attached: map[*proc]struct{}{},
		writes: map[int64]*pendingWrite{}, failed: map[int64]bool{},
	}
	go c.writeLoop()
	hello := obj{"ev": "hello", "version": 1, "boot": bootID, "pid": os.Getpid()}
	if token != "" {
		hello["token"] = token
	}
	c.send(hello, nil)

	r := bufio.NewReaderSize(nc, 64<<10)
	for {
		header, data, err := readFrame(r)
		if err != nil {
			var perr errProtocol
			if errors.As(err, &perr) {
				c.send(obj{"ev": "fatal", "message": perr.msg}, nil)
			}
			break
		}
		req, err := parseRequest(header)
		if err != nil {
			c.send(obj{"ev": "fatal", "message": err.Error()}, nil)
			break
		}
		c.dispatch(req, data)
	}
	close(c.readEnd)
	c.cleanup()
}

func (c *conn) writeLoop() {
	defer c.shutdown()
	w := bufio.NewWriterSize(c.nc, 256<<10)
	for {
		select {
		case f := <-c.out:
			if writeFrame(w, f.header, f.data) != nil {
				return
			}
			if len(c.out) == 0 {
				// Let a handler that is about to queue its next frame (read:
				// open, chunk, reply) do so, to send them in one write.
				runtime.Gosched()
			}
			if len(c.out) == 0 && w.Flush() != nil {
				return
			}
		case <-c.readEnd:
			for {
				select {
				case f := <-c.out:
					if writeFrame(w, f.header, f.data) != nil {
						return
					}
				default:
					w.Flush()
					return
				}
			}
		}
	}
}

func (c *conn) shutdown() {
	c.doneOnce.Do(func() {
		close(c.done)
		c.nc.Close()
	})
}

// send queues a frame, blocking while the queue is full; false once the
// connection is gone.
func (c *conn) send(header obj, data []byte) bool {
	h, err := json.Marshal(header)
	if err != nil || len(h) > maxHeader || 2+len(h)+len(data) > maxFrame {
		fmt.Fprintf(os.Stderr, "tidepool-supervisor: dropping oversized frame (%d+%d bytes)\n", len(h), len(data))
		return false
	}
	select {
	case <-c.done:
		return false
	default:
	}
	select {
	case c.out <- frame{h, data}:
		return true
	case <-c.done:
		return false
	}
}

// reply sends the final reply; a reply too big for a header becomes an io error.
func (c *conn) reply(rid int64, fields obj, data []byte) {
	fields["rid"] = rid
	fields["ok"] = true
	if h, err := json.Marshal(fields); err != nil || len(h) > maxHeader {
		c.fail(rid, "io", "reply too large for a frame header", nil)
		return
	}
	c.send(fields, data)
}

func (c *conn) ok(rid int64) { c.reply(rid, obj{}, nil) }

func (c *conn) fail(rid int64, code, message string, extra obj) {
	e := obj{"code": code, "message": message}
	for k, v := range extra {
		e[k] = v
	}
	c.send(obj{"rid": rid, "ok": false, "error": e}, nil)
}

func (c *conn) failErr(rid int64, err error) {
	code, msg := errorCode(err)
	c.fail(rid, code, msg, nil)
}

// cleanup runs once the client is gone: kill what it owned, abort its writes.
func (c *conn) cleanup() {
	c.mu.Lock()
	c.closed = true
	owned, attached, writes := c.owned, c.attached, c.writes
	c.owned, c.attached, c.writes = map[*proc]struct{}{}, map[*proc]struct{}{}, map[int64]*pendingWrite{}
	c.mu.Unlock()
	for _, w := range writes {
		w.abort()
	}
	for p := range owned {
		p.ownerGone()
	}
	for p := range attached {
		p.detach(c)
	}
}
