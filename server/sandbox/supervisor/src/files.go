package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
)

const readChunk = 1 << 20

// errorCode maps an error to PROTOCOL.md's codes by its errno.
func errorCode(err error) (string, string) {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return "io", err.Error()
	}
	codes := map[syscall.Errno]string{
		syscall.ENOENT: "not_found", syscall.ENOTDIR: "not_a_directory", syscall.EISDIR: "is_a_directory",
		syscall.EEXIST: "exists", syscall.ENOTEMPTY: "not_empty", syscall.EACCES: "denied", syscall.EPERM: "denied",
		syscall.ENOSPC: "no_space", syscall.EDQUOT: "no_space", syscall.ENAMETOOLONG: "name_too_long",
		syscall.EROFS: "read_only",
	}
	if code, ok := codes[errno]; ok {
		return code, err.Error()
	}
	return "io", err.Error()
}

// checkPath rejects relative paths (the supervisor's cwd means nothing to the client).
func (c *conn) checkPath(rid int64, paths ...string) bool {
	for _, p := range paths {
		if !filepath.IsAbs(p) {
			c.fail(rid, "bad_request", "path must be absolute: "+p, nil)
			return false
		}
	}
	return true
}

func statTime(st os.FileInfo) (mtimeMs int64, perm uint32) {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return s.Mtim.Sec*1000 + s.Mtim.Nsec/1e6, s.Mode & 0o7777
	}
	return st.ModTime().UnixNano() / 1e6, uint32(st.Mode().Perm())
}

func fileType(m os.FileMode) string {
	switch {
	case m.IsRegular():
		return "file"
	case m.IsDir():
		return "dir"
	case m&os.ModeSymlink != 0:
		return "symlink"
	}
	return "other"
}

func (c *conn) readFile(req *request) {
	if !c.checkPath(req.Rid, req.Path) {
		return
	}
	// O_NONBLOCK so a FIFO cannot hang the open; we refuse non-files anyway.
	f, err := os.OpenFile(req.Path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		c.failErr(req.Rid, err)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		c.failErr(req.Rid, err)
		return
	}
	if !st.Mode().IsRegular() {
		c.fail(req.Rid, "not_a_file", req.Path+" is not a regular file", nil)
		return
	}
	mtime, perm := statTime(st)
	c.send(obj{"rid": req.Rid, "ev": "open", "size": st.Size(), "mtimeMs": mtime, "mode": perm}, nil)
	remaining := int64(1) << 62
	if req.Max != nil {
		remaining = *req.Max
	}
	pos, sent, eof := req.Offset, int64(0), false
	for remaining > 0 && !eof {
		n := int64(readChunk)
		if left := st.Size() - pos + 1; left > 0 && left < n {
			n = left // one byte more than the file has: EOF shows in the same read
		}
		if n > remaining {
			n = remaining
		}
		buf := make([]byte, n)
		got, err := f.ReadAt(buf, pos)
		if got > 0 && !c.send(obj{"rid": req.Rid, "ev": "chunk"}, buf[:got]) {
			return
		}
		pos, sent, remaining, eof = pos+int64(got), sent+int64(got), remaining-int64(got), err == io.EOF
		if err != nil && !eof {
			c.failErr(req.Rid, err)
			return
		}
	}
	if st, err := f.Stat(); err == nil && pos >= st.Size() {
		eof = true
	}
	c.reply(req.Rid, obj{"bytes": sent, "eof": eof}, nil)
}

// pendingWrite is a write between its first frame and write_end.
type pendingWrite struct {
	f      *os.File
	tmp    string // "" when appending in place
	target string
	bytes  int64
}

func (w *pendingWrite) abort() {
	w.f.Close()
	if w.tmp != "" {
		os.Remove(w.tmp)
	}
}

func (c *conn) writeStart(req *request, data []byte) {
	if !c.checkPath(req.Rid, req.Path) {
		return
	}
	c.mu.Lock()
	_, dup := c.writes[req.Rid]
	delete(c.failed, req.Rid)
	c.mu.Unlock()
	if dup {
		c.fail(req.Rid, "bad_request", "a write with this rid is in progress", nil)
		return
	}
	w, err := openWrite(req)
	if err == nil {
		c.mu.Lock()
		c.writes[req.Rid] = w
		c.mu.Unlock()
	}
	c.writeData(req.Rid, w, err, data)
}

func openWrite(req *request) (*pendingWrite, error) {
	dir := filepath.Dir(req.Path)
	if req.Mkdirs {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	}
	mode := uint32(0o644)
	if st, err := os.Stat(req.Path); err == nil {
		if st.IsDir() {
			return nil, &os.PathError{Op: "write", Path: req.Path, Err: syscall.EISDIR}
		}
		_, mode = statTime(st) // an overwrite keeps the file's mode
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if req.Mode != nil {
		mode = *req.Mode & 0o7777
	}
	w := &pendingWrite{target: req.Path}
	var err error
	if req.Append {
		w.f, err = os.OpenFile(req.Path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, os.FileMode(mode&0o777))
	} else {
		var b [8]byte
		rand.Read(b[:])
		w.tmp = filepath.Join(dir, ".tidepool-write-"+hex.EncodeToString(b[:]))
		w.f, err = os.OpenFile(w.tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	}
	if err != nil {
		return nil, err
	}
	if req.Mode != nil || !req.Append {
		// Exact bits, whatever the umask.
		if err := syscall.Fchmod(int(w.f.Fd()), mode); err != nil {
			w.abort()
			return nil, err
		}
	}
	return w, nil
}

// writeData appends data, or on any error removes the temp file and sends
// the request's final (error) reply; later chunks of it are ignored.
func (c *conn) writeData(rid int64, w *pendingWrite, err error, data []byte) {
	if err == nil && len(data) > 0 {
		var n int
		n, err = w.f.Write(data)
		w.bytes += int64(n)
	}
	if err != nil {
		c.mu.Lock()
		delete(c.writes, rid)
		c.failed[rid] = true
		c.mu.Unlock()
		if w != nil {
			w.abort()
		}
		c.failErr(rid, err)
	}
}

// pendingFor finds the write a chunk belongs to; nil (handled) otherwise.
func (c *conn) pendingFor(req *request, end bool) *pendingWrite {
	c.mu.Lock()
	defer c.mu.Unlock()
	w := c.writes[req.Rid]
	if w == nil {
		if !c.failed[req.Rid] {
			c.fail(req.Rid, "bad_request", "no write in progress with this rid", nil)
		} else if end {
			delete(c.failed, req.Rid)
		}
	}
	return w
}

func (c *conn) writeChunk(req *request, data []byte) {
	if w := c.pendingFor(req, false); w != nil {
		c.writeData(req.Rid, w, nil, data)
	}
}

func (c *conn) writeEnd(req *request) {
	w := c.pendingFor(req, true)
	if w == nil {
		return
	}
	c.mu.Lock()
	delete(c.writes, req.Rid)
	c.mu.Unlock()
	err := w.f.Close()
	if err == nil && w.tmp != "" {
		err = os.Rename(w.tmp, w.target)
	}
	if err != nil {
		if w.tmp != "" {
			os.Remove(w.tmp)
		}
		c.failErr(req.Rid, err)
		return
	}
	c.reply(req.Rid, obj{"bytes": w.bytes}, nil)
}

// writeAbort drops a write whose input broke off: the temp file goes before
// the (error) reply, so the client can rely on it being gone.
func (c *conn) writeAbort(req *request) {
	c.mu.Lock()
	w := c.writes[req.Rid]
	delete(c.writes, req.Rid)
	failed := c.failed[req.Rid]
	delete(c.failed, req.Rid)
	c.mu.Unlock()
	switch {
	case w != nil:
		w.abort()
		c.fail(req.Rid, "aborted", "the write was abandoned", nil)
	case !failed:
		c.fail(req.Rid, "bad_request", "no write in progress with this rid", nil)
	}
}

func (c *conn) stat(req *request) {
	if !c.checkPath(req.Rid, req.Path) {
		return
	}
	stat := os.Stat
	if req.Follow != nil && !*req.Follow {
		stat = os.Lstat
	}
	st, err := stat(req.Path)
	if err != nil {
		c.failErr(req.Rid, err)
		return
	}
	mtime, perm := statTime(st)
	c.reply(req.Rid, obj{"type": fileType(st.Mode()), "size": st.Size(), "mode": perm, "mtimeMs": mtime}, nil)
}

func (c *conn) mkdir(req *request) {
	if !c.checkPath(req.Rid, req.Path) {
		return
	}
	var err error
	if req.Parents {
		err = os.MkdirAll(req.Path, 0o755)
	} else {
		err = os.Mkdir(req.Path, 0o755)
	}
	if err != nil {
		c.failErr(req.Rid, err)
		return
	}
	c.ok(req.Rid)
}

func (c *conn) move(req *request) {
	if !c.checkPath(req.Rid, req.From, req.To) {
		return
	}
	if _, err := os.Lstat(req.From); err != nil {
		c.failErr(req.Rid, err)
		return
	}
	if !req.Overwrite {
		if _, err := os.Lstat(req.To); err == nil {
			c.fail(req.Rid, "exists", req.To+" exists", nil)
			return
		}
	}
	// syscall.Rename: os.Rename refuses any existing directory as target.
	if err := syscall.Rename(req.From, req.To); err != nil {
		c.failErr(req.Rid, &os.LinkError{Op: "rename", Old: req.From, New: req.To, Err: err})
		return
	}
	c.ok(req.Rid)
}

func (c *conn) remove(req *request) {
	if !c.checkPath(req.Rid, req.Path) {
		return
	}
	st, err := os.Lstat(req.Path)
	switch {
	case err != nil:
	case st.IsDir() && req.Recursive:
		err = os.RemoveAll(req.Path)
	case st.IsDir():
		if err = syscall.Rmdir(req.Path); err == syscall.EEXIST {
			err = syscall.ENOTEMPTY
		}
	default:
		err = syscall.Unlink(req.Path)
	}
	if err != nil {
		c.failErr(req.Rid, &os.PathError{Op: "remove", Path: req.Path, Err: unwrapErrno(err)})
		return
	}
	c.ok(req.Rid)
}

func unwrapErrno(err error) error {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno
	}
	return err
}
