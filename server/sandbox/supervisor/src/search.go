package main

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// walk and grep: ls, glob and grep served in-process, without starting find
// or grep. Records travel in data parts, in the shapes
// the engine already parses from find and grep:
//   walk: "<type f|d|l|o>\t<size>\t<mtime seconds>\t<path relative to root>\0"
//   grep: "<path>\0<line number>:<line>\n"
// Both stop at `max` records or at the deadline and then say truncated.

const (
	recordBatch     = 256 << 10
	grepLineMax     = 1 << 20 // longer lines are matched on their first MiB
	defaultDeadline = 60 * time.Second
)

// errStop ends a walk early (filepath.SkipAll needs Go 1.20; Debian has 1.19).
var errStop = errors.New("stop")

type searchRun struct {
	c        *conn
	req      *request
	buf      bytes.Buffer
	count    int64
	limit    int64
	deadline time.Time
	full     bool // limit or deadline reached
	gone     bool // the client left
}

func newSearchRun(c *conn, req *request) *searchRun {
	s := &searchRun{c: c, req: req, limit: 1 << 62, deadline: time.Now().Add(defaultDeadline)}
	if req.Max != nil && *req.Max >= 0 {
		s.limit = *req.Max
	}
	if req.TimeoutMs > 0 {
		s.deadline = time.Now().Add(time.Duration(req.TimeoutMs) * time.Millisecond)
	}
	return s
}

// add appends one record; false once the search should stop.
func (s *searchRun) add(record []byte) bool {
	if s.count >= s.limit || time.Now().After(s.deadline) {
		s.full = true
		return false
	}
	s.buf.Write(record)
	s.count++
	if s.buf.Len() >= recordBatch {
		s.flush()
	}
	return !s.gone
}

func (s *searchRun) flush() {
	if s.buf.Len() == 0 {
		return
	}
	if !s.c.send(obj{"rid": s.req.Rid, "ev": "records"}, append([]byte(nil), s.buf.Bytes()...)) {
		s.gone = true
	}
	s.buf.Reset()
}

func (s *searchRun) finish() {
	s.flush()
	if !s.gone {
		s.c.reply(s.req.Rid, obj{"records": s.count, "truncated": s.full}, nil)
	}
}

// skipped: the engine's temp files always, hidden names unless asked for.
func (req *request) skipped(name string) bool {
	if !req.Hidden && strings.HasPrefix(name, ".") {
		return true
	}
	for _, prefix := range req.Skip {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

func typeLetter(m os.FileMode) byte {
	switch {
	case m.IsRegular():
		return 'f'
	case m.IsDir():
		return 'd'
	case m&os.ModeSymlink != 0:
		return 'l'
	}
	return 'o'
}

// walkOp lists what is under a folder: `depth` 1 for ls, 0 for no limit;
// `filesOnly` for glob. Unreadable folders are passed over, as find 2>/dev/null does.
func (c *conn) walkOp(req *request) {
	if !c.checkPath(req.Rid, req.Path) {
		return
	}
	root := filepath.Clean(req.Path)
	if st, err := os.Stat(root); err != nil {
		c.failErr(req.Rid, err)
		return
	} else if !st.IsDir() {
		c.fail(req.Rid, "not_a_directory", root+" is not a folder", nil)
		return
	}
	s := newSearchRun(c, req)
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if p == root {
			return err // an unreadable root is the caller's error
		}
		if err != nil || req.skipped(d.Name()) {
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		rel := p[len(root)+1:]
		if root == "/" {
			rel = p[1:]
		}
		deeper := req.Depth <= 0 || strings.Count(rel, "/")+1 < req.Depth
		if !req.FilesOnly || d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return nil // gone since the listing
			}
			record := []byte{typeLetter(info.Mode()), '\t'}
			record = strconv.AppendInt(record, info.Size(), 10)
			record = appendMtime(append(record, '\t'), info)
			record = append(append(append(record, '\t'), rel...), 0)
			if !s.add(record) {
				return errStop
			}
		}
		if d.IsDir() && !deeper {
			return filepath.SkipDir
		}
		return nil
	})
	s.finish()
}

// appendMtime writes the modification time as find's %T@ does, seconds with
// nanoseconds, so it rounds to the same milliseconds as Python's st_mtime.
func appendMtime(record []byte, info os.FileInfo) []byte {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		mtime, _ := statTime(info)
		return strconv.AppendFloat(record, float64(mtime)/1000, 'f', 3, 64)
	}
	record = strconv.AppendInt(append(strconv.AppendInt(record, st.Mtim.Sec, 10), '.'), 1e9+st.Mtim.Nsec, 10)
	// 1e9+nsec has ten digits: drop the leading 1 to keep nine, zero-padded.
	digits := len(record) - 10
	return append(record[:digits], record[digits+1:]...)
}

// grepOp finds lines matching a regular expression (RE2 syntax, a superset of
// what models write for grep -E) or a fixed string. Files with a NUL byte are
// binary and skipped, as grep -I does; symlinks inside folders are not followed.
func (c *conn) grepOp(req *request) {
	if !c.checkPath(req.Rid, req.Path) {
		return
	}
	pattern := req.Pattern
	if req.Fixed {
		pattern = regexp.QuoteMeta(pattern)
	}
	if req.IgnoreCase {
		pattern = "(?i)" + pattern
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		c.fail(req.Rid, "invalid_pattern", strings.TrimPrefix(err.Error(), "error parsing regexp: "), nil)
		return
	}
	root := filepath.Clean(req.Path)
	st, err := os.Stat(root)
	if err != nil {
		c.failErr(req.Rid, err)
		return
	}
	s := newSearchRun(c, req)
	r := bufio.NewReaderSize(nil, 64<<10) // one buffer for every file: fresh memory costs more than the search
	if !st.IsDir() {
		grepFile(s, re, root, r)
		s.finish()
		return
	}
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if p == root {
			return err
		}
		if err != nil || req.skipped(d.Name()) {
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if req.Include != "" {
			if ok, _ := filepath.Match(req.Include, d.Name()); !ok {
				return nil
			}
		}
		if !grepFile(s, re, p, r) {
			return errStop
		}
		return nil
	})
	s.finish()
}

// grepFile adds a record per matching line; false once the search should stop.
func grepFile(s *searchRun, re *regexp.Regexp, path string, r *bufio.Reader) bool {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return true // unreadable: passed over, as grep -s does
	}
	defer f.Close()
	r.Reset(f)
	head, _ := r.Peek(32 << 10)
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	var line []byte
	for number := 1; ; number++ {
		line = line[:0]
		var err error
		for {
			var part []byte
			part, err = r.ReadSlice('\n')
			if len(line) < grepLineMax {
				line = append(line, part...)
			}
			if err != bufio.ErrBufferFull {
				break
			}
		}
		text := bytes.TrimSuffix(line, []byte("\n"))
		if bytes.IndexByte(text, 0) >= 0 {
			return true // binary after all: stop here, as grep does
		}
		if len(line) > 0 && re.Match(text) {
			record := append([]byte(path), 0)
			record = strconv.AppendInt(record, int64(number), 10)
			record = append(append(append(record, ':'), text...), '\n')
			if !s.add(record) {
				return false
			}
		}
		if err != nil {
			return true // EOF, or a read error: the rest of the file is passed over
		}
		if time.Now().After(s.deadline) {
			s.full = true
			return false
		}
	}
}
