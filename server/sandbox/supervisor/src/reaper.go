package main

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// reaper is the only caller of wait4 in serve mode. As PID 1 we inherit every
// orphan of the container; their statuses are simply dropped. Children we
// started get their status delivered by pid.
var reaper = &reaperT{waiters: map[int]chan syscall.WaitStatus{}}

type reaperT struct {
	// mu is held across fork+register and across wait4+dispatch, so a child
	// can never be reaped before its waiter is registered.
	mu      sync.Mutex
	waiters map[int]chan syscall.WaitStatus
}

// spawn runs fork (fn) and registers the new pid atomically with respect to reaping.
func (r *reaperT) spawn(fn func() (int, error)) (int, <-chan syscall.WaitStatus, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	pid, err := fn()
	if err != nil {
		return 0, nil, err
	}
	ch := make(chan syscall.WaitStatus, 1)
	r.waiters[pid] = ch
	return pid, ch, nil
}

func (r *reaperT) run() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGCHLD)
	// SIGCHLDs coalesce; the ticker is a safety net, not the main path.
	tick := time.NewTicker(time.Second)
	for {
		r.reapAll()
		select {
		case <-sigs:
		case <-tick.C:
		}
	}
}

func (r *reaperT) reapAll() {
	for {
		var ws syscall.WaitStatus
		r.mu.Lock()
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		if pid > 0 {
			if ch, ok := r.waiters[pid]; ok {
				ch <- ws
				delete(r.waiters, pid)
			}
		}
		r.mu.Unlock()
		if err == syscall.EINTR {
			continue
		}
		if pid <= 0 {
			return
		}
	}
}
