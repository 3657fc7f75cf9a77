package main

import (
	"encoding/json"
	"errors"
	"net"
	"os"
	"sync"
	"syscall"
	"time"
)

// The supervisor's end of its shims. A shim whose command left nothing behind
// says "free" and waits in a small pool for the next command, so a command
// costs one fork and exec (its own), not also a shim's exec and Go start-up.

const (
	maxIdleShims = 2
	// A shim that does not report its command's start in this time is stuck
	// (user code can SIGSTOP idle shims: they run as the sandbox user).
	shimStartTimeout = 10 * time.Second
)

type shimLink struct {
	conn *net.UnixConn
	pid  int
	wait <-chan syscall.WaitStatus // the shim's own exit, from the reaper
	wmu  sync.Mutex

	first chan shimMsg // "pid" or "fail" for the config just sent; closed when the shim is gone

	mu      sync.Mutex
	nextID  int
	pending map[int]chan bool
	lease   *shimLease // the command it runs; nil while idle
	dead    bool
}

// shimLease is one command's hold on a shim. Once it ended (the shim said
// "free", or died), requests for that command have nothing left to act on.
type shimLease struct {
	link  *shimLink
	exit  chan syscall.WaitStatus // the command's status, once the shim reaped it
	ended chan struct{}
}

var idleShims struct {
	sync.Mutex
	links     []*shimLink
	refilling bool
}

var devNullOnce struct {
	sync.Once
	f *os.File
}

// devNull: the stdio of shims, and the stdin of commands that get none.
func devNull() *os.File {
	devNullOnce.Do(func() {
		f, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
		if err != nil {
			fatalf("open %s: %v", os.DevNull, err)
		}
		devNullOnce.f = f
	})
	return devNullOnce.f
}

func spawnShim() (*shimLink, error) {
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_SEQPACKET|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	child := os.NewFile(uintptr(fds[1]), "shim-ctl")
	defer child.Close()
	ours := os.NewFile(uintptr(fds[0]), "shim")
	nc, err := net.FileConn(ours) // through Go's poller, so reads don't pin threads
	ours.Close()
	if err != nil {
		return nil, err
	}
	l := &shimLink{conn: nc.(*net.UnixConn), first: make(chan shimMsg, 1), pending: map[int]chan bool{}}
	null := devNull().Fd()
	l.pid, l.wait, err = reaper.spawn(func() (int, error) {
		return syscall.ForkExec(selfExe, []string{"tidepool-supervisor", "shim"}, &syscall.ProcAttr{
			Env: os.Environ(), Files: []uintptr{null, null, os.Stderr.Fd(), child.Fd()},
		})
	})
	if err != nil {
		l.conn.Close()
		return nil, err
	}
	go l.readLoop()
	return l, nil
}

// takeShim: the most recently freed idle shim, else a new one. A spare is
// started in the background whenever the pool runs dry.
func takeShim() (*shimLink, error) {
	idleShims.Lock()
	var l *shimLink
	if n := len(idleShims.links); n > 0 {
		l, idleShims.links = idleShims.links[n-1], idleShims.links[:n-1]
	}
	refill := len(idleShims.links) == 0 && !idleShims.refilling
	idleShims.refilling = idleShims.refilling || refill
	idleShims.Unlock()
	if refill {
		go refillSpare()
	}
	if l != nil {
		return l, nil
	}
	return spawnShim()
}

func refillSpare() {
	l, err := spawnShim()
	idleShims.Lock()
	idleShims.refilling = false
	idleShims.Unlock()
	if err == nil {
		putIdle(l)
	}
}

func putIdle(l *shimLink) {
	idleShims.Lock()
	keep := len(idleShims.links) < maxIdleShims
	if keep {
		idleShims.links = append(idleShims.links, l)
	}
	idleShims.Unlock()
	if !keep {
		l.conn.Close() // the shim sees EOF and exits
	}
}

func dropIdle(l *shimLink) {
	idleShims.Lock()
	defer idleShims.Unlock()
	for i, x := range idleShims.links {
		if x == l {
			idleShims.links = append(idleShims.links[:i], idleShims.links[i+1:]...)
			return
		}
	}
}

// startShim hands cfg and the command's stdio to a shim and returns once it
// reports the command's pid, or its refusal (first.T == "fail").
func startShim(cfg shimMsg, stdio [3]*os.File) (lease *shimLease, first shimMsg, err error) {
	b, _ := json.Marshal(cfg)
	if len(b) > maxShimMsg {
		return nil, first, errors.New("the command and its environment are too long")
	}
	rights := syscall.UnixRights(int(stdio[0].Fd()), int(stdio[1].Fd()), int(stdio[2].Fd()))
	for attempt := 0; attempt < 3; attempt++ {
		l, err := takeShim()
		if err != nil {
			return nil, first, err
		}
		lease := &shimLease{link: l, exit: make(chan syscall.WaitStatus, 1), ended: make(chan struct{})}
		l.mu.Lock()
		l.lease = lease
		l.mu.Unlock()
		if _, _, err := l.conn.WriteMsgUnix(b, rights, nil); err != nil {
			// An idle shim killed by user code (`kill -9 -1`) refuses the config: nothing ran, use another.
			l.conn.Close()
			continue
		}
		// From here the command may have started: it is never sent again.
		if first, err = l.awaitStart(); err != nil {
			l.conn.Close()
			return nil, first, err
		}
		return lease, first, nil
	}
	return nil, first, errors.New("no process helper could be started")
}

// awaitStart waits for the shim's "pid" or "fail". Until then it keeps the
// shim running: user code may stop every process it can (`kill -STOP -1`),
// the idle shim included, and the command itself can do so before its shim
// reported it.
func (l *shimLink) awaitStart() (shimMsg, error) {
	deadline := time.After(shimStartTimeout)
	nudge := time.NewTicker(50 * time.Millisecond)
	defer nudge.Stop()
	for {
		syscall.Kill(l.pid, syscall.SIGCONT)
		select {
		case first, ok := <-l.first:
			if !ok {
				return first, errors.New("the process helper died while starting the command")
			}
			return first, nil
		case <-nudge.C:
		case <-deadline:
			syscall.Kill(l.pid, syscall.SIGKILL)
			return shimMsg{}, errors.New("the process helper did not start the command in time")
		}
	}
}

// readLoop routes the shim's messages until it is gone.
func (l *shimLink) readLoop() {
	buf := make([]byte, 64<<10)
	for {
		n, err := l.conn.Read(buf)
		if err != nil {
			break
		}
		var m shimMsg
		if json.Unmarshal(buf[:n], &m) != nil {
			continue
		}
		switch m.T {
		case "pid", "fail":
			select {
			case l.first <- m:
			default:
			}
		case "exit":
			l.mu.Lock()
			lease := l.lease
			l.mu.Unlock()
			if lease != nil {
				select {
				case lease.exit <- syscall.WaitStatus(m.Status):
				default:
				}
			}
		case "done":
			l.mu.Lock()
			ch := l.pending[m.ID]
			delete(l.pending, m.ID)
			l.mu.Unlock()
			if ch != nil {
				ch <- m.OK
			}
		case "free":
			l.mu.Lock()
			lease := l.lease
			l.lease = nil
			l.mu.Unlock()
			if lease != nil {
				close(lease.ended)
			}
			putIdle(l)
		}
	}
	l.conn.Close()
	dropIdle(l)
	// The shim is gone, and with it (normally) every process under it.
	l.mu.Lock()
	l.dead = true
	lease := l.lease
	l.lease = nil
	for id, ch := range l.pending {
		ch <- true
		delete(l.pending, id)
	}
	l.mu.Unlock()
	if lease != nil {
		close(lease.ended)
	}
	close(l.first)
}

// request sends kill/signal for the lease's command and waits for the shim's
// answer. A command whose shim moved on or is gone counts as done: nothing of
// it is left.
func (lease *shimLease) request(m shimMsg, timeout time.Duration) bool {
	l := lease.link
	ch := make(chan bool, 1)
	l.mu.Lock()
	if l.dead || l.lease != lease {
		l.mu.Unlock()
		return true
	}
	l.nextID++
	m.ID = l.nextID
	l.pending[m.ID] = ch
	l.mu.Unlock()
	syscall.Kill(l.pid, syscall.SIGCONT) // a shim stopped by user code cannot obey
	b, _ := json.Marshal(m)
	l.wmu.Lock()
	_, err := l.conn.Write(b)
	l.wmu.Unlock()
	if err != nil {
		return true
	}
	select {
	case ok := <-ch:
		return ok
	case <-time.After(timeout):
		return false
	}
}

// commandWaitStatus waits for the command's status: as the shim reported it,
// or, when the shim died without reporting (a user's `kill -9 -1`), the
// shim's own, with died true.
func (lease *shimLease) commandWaitStatus() (ws syscall.WaitStatus, died bool) {
	select {
	case ws := <-lease.exit:
		return ws, false
	case <-lease.ended:
	}
	select {
	case ws := <-lease.exit: // "exit" always precedes "free"
		return ws, false
	default:
		return <-lease.link.wait, true
	}
}
