package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// shimMsg is one JSON line on the shim's control socket (fd 3), either way.
//
//	supervisor → shim: {"t":"config",argv,env,cwd,workDir}, {"t":"kill","id"}, {"t":"signal","id","sig","tree"}
//	shim → supervisor: {"t":"pid","pid"} | {"t":"fail","code","message","resolved"}, {"t":"exit","status"}, {"t":"done","id","ok"}
type shimMsg struct {
	T        string   `json:"t"`
	ID       int      `json:"id,omitempty"`
	OK       bool     `json:"ok,omitempty"`
	Pid      int      `json:"pid,omitempty"`
	Status   int      `json:"status,omitempty"`
	Sig      int      `json:"sig,omitempty"`
	Tree     bool     `json:"tree,omitempty"`
	Code     string   `json:"code,omitempty"`
	Message  string   `json:"message,omitempty"`
	Resolved string   `json:"resolved,omitempty"`
	Argv     []string `json:"argv,omitempty"`
	Env      []string `json:"env,omitempty"`
	Cwd      string   `json:"cwd,omitempty"`
	Stdin    bool     `json:"stdin,omitempty"`
	WorkDir  string   `json:"workDir,omitempty"`
}

const killTimeout = 3 * time.Second

// ---- the shim process ----

type shimState struct {
	wmu    sync.Mutex
	ctl    *os.File
	mu     sync.Mutex // held across wait4 so a reaped command pid is never signalled
	cmd    int
	exited bool
}

func (s *shimState) send(m shimMsg) {
	b, _ := json.Marshal(m)
	s.wmu.Lock()
	s.ctl.Write(append(b, '\n'))
	s.wmu.Unlock()
}

func shimMain() {
	syscall.CloseOnExec(3) // the command must not inherit the control socket
	s := &shimState{ctl: os.NewFile(3, "ctl")}
	// A subreaper keeps every descendant (setsid, double fork) under us.
	syscall.RawSyscall(syscall.SYS_PRCTL, 36 /* PR_SET_CHILD_SUBREAPER */, 1, 0)
	os.WriteFile("/proc/self/oom_score_adj", []byte("500"), 0)
	// Handling these replaces the SIG_IGN dispositions inherited from the
	// supervisor, so the command starts with defaults (exec resets handled
	// signals, not ignored ones); it also keeps user code's `kill -TERM -1`
	// off the shim.
	sigs := make(chan os.Signal, 16)
	signal.Notify(sigs, syscall.SIGCHLD, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGQUIT,
		syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGPIPE, syscall.SIGTSTP, syscall.SIGTTIN, syscall.SIGTTOU)

	r := bufio.NewReaderSize(s.ctl, 64<<10)
	line, err := r.ReadBytes('\n')
	var cfg shimMsg
	if err != nil || json.Unmarshal(line, &cfg) != nil || len(cfg.Argv) == 0 {
		s.send(shimMsg{T: "fail", Code: "bad_request", Message: "shim got no valid config"})
		os.Exit(1)
	}
	if fail := enterCwd(cfg.Cwd, cfg.WorkDir); fail != nil {
		s.send(*fail)
		os.Exit(1)
	}
	stdin := uintptr(0) // the pipe from the supervisor
	if !cfg.Stdin {
		null, err := os.Open(os.DevNull)
		if err != nil {
			s.send(shimMsg{T: "fail", Code: "start_failed", Message: err.Error()})
			os.Exit(1)
		}
		stdin = null.Fd()
	}
	path, err := lookPath(cfg.Argv[0], cfg.Env)
	if err == nil {
		s.cmd, err = syscall.ForkExec(path, cfg.Argv, &syscall.ProcAttr{
			Env: cfg.Env, Files: []uintptr{stdin, 1, 2}, Sys: &syscall.SysProcAttr{Setpgid: true},
		})
	}
	if err != nil {
		s.send(shimMsg{T: "fail", Code: "start_failed", Message: fmt.Sprintf("%s: %v", cfg.Argv[0], err)})
		os.Exit(1)
	}
	s.send(shimMsg{T: "pid", Pid: s.cmd})
	// Our copies of the stdio would keep the pipes open after the command's tree is done.
	if null, err := syscall.Open(os.DevNull, syscall.O_RDWR, 0); err == nil {
		for fd := 0; fd < 3; fd++ {
			syscall.Dup3(null, fd, 0)
		}
		syscall.Close(null)
	}
	go s.control(r)

	tick := time.NewTicker(100 * time.Millisecond)
	for {
		if s.reap() {
			os.Exit(0)
		}
		select {
		case <-sigs:
		case <-tick.C:
		}
	}
}

// reap collects exited descendants; true once none is left.
func (s *shimState) reap() bool {
	for {
		var ws syscall.WaitStatus
		s.mu.Lock()
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		if pid == s.cmd && pid > 0 {
			s.exited = true
			s.send(shimMsg{T: "exit", Status: int(ws)})
		}
		s.mu.Unlock()
		switch {
		case err == syscall.EINTR || pid > 0:
			continue
		case err == syscall.ECHILD:
			return true
		default:
			return false
		}
	}
}

func (s *shimState) control(r *bufio.Reader) {
	for {
		line, err := r.ReadBytes('\n')
		if err != nil {
			return // the supervisor is gone; nothing to obey
		}
		var m shimMsg
		if json.Unmarshal(line, &m) != nil {
			continue
		}
		switch m.T {
		case "kill":
			s.send(shimMsg{T: "done", ID: m.ID, OK: killTree(os.Getpid())})
		case "signal":
			if m.Tree {
				for _, pid := range descendants(os.Getpid()) {
					syscall.Kill(pid, syscall.Signal(m.Sig))
				}
			} else {
				s.mu.Lock()
				if !s.exited {
					syscall.Kill(s.cmd, syscall.Signal(m.Sig))
				}
				s.mu.Unlock()
			}
			s.send(shimMsg{T: "done", ID: m.ID, OK: true})
		}
	}
}

// killTree stops then kills every descendant, in rounds, so a fork loop
// cannot outrun it; false if some survive killTimeout.
func killTree(root int) bool {
	deadline := time.Now().Add(killTimeout)
	for {
		pids := descendants(root)
		if len(pids) == 0 {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		for _, pid := range pids {
			syscall.Kill(pid, syscall.SIGSTOP)
		}
		for _, pid := range pids {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		time.Sleep(time.Millisecond)
	}
}

// descendants lists the live (non-zombie) processes under root, from /proc.
func descendants(root int) []int {
	entries, _ := os.ReadDir("/proc")
	children := map[int][]int{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// "pid (comm) S ppid ...": comm may contain anything, so split after the last ')'.
		i := strings.LastIndexByte(string(b), ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(b[i+1:]))
		if len(f) < 2 || f[0] == "Z" || f[0] == "X" {
			continue
		}
		if ppid, err := strconv.Atoi(f[1]); err == nil {
			children[ppid] = append(children[ppid], pid)
		}
	}
	var out []int
	queue := []int{root}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range children[p] {
			out = append(out, c)
			queue = append(queue, c)
		}
	}
	return out
}

// enterCwd chdirs and checks the real cwd against workDir (PROTOCOL.md, start).
func enterCwd(cwd, workDir string) *shimMsg {
	if cwd != "" {
		if err := syscall.Chdir(cwd); err != nil {
			// A link that points out of bounds is refused as such, even when its target cannot be entered.
			if target, lerr := os.Readlink(cwd); lerr == nil && workDir != "" {
				if !filepath.IsAbs(target) {
					target = filepath.Join(filepath.Dir(cwd), target)
				}
				if target = filepath.Clean(target); !within(target, workDir) {
					return refused(cwd, target, workDir)
				}
			}
			code, msg := errorCode(&os.PathError{Op: "chdir", Path: cwd, Err: err})
			return &shimMsg{T: "fail", Code: code, Message: msg}
		}
	}
	if workDir == "" {
		return nil
	}
	// syscall.Getwd asks the kernel; os.Getwd may trust $PWD (a symlink path).
	real, err := syscall.Getwd()
	if err != nil {
		return &shimMsg{T: "fail", Code: "cwd_refused", Message: "cannot resolve cwd: " + err.Error()}
	}
	if !within(real, workDir) {
		return refused(cwd, real, workDir)
	}
	return nil
}

// within: path is workDir's real path or under it, and not in /proc, /sys or /dev.
func within(path, workDir string) bool {
	root, err := filepath.EvalSymlinks(workDir)
	if err != nil {
		root = filepath.Clean(workDir)
	}
	for _, bad := range []string{"/proc", "/sys", "/dev"} {
		if path == bad || strings.HasPrefix(path, bad+"/") {
			return false
		}
	}
	return path == root || strings.HasPrefix(path, strings.TrimSuffix(root, "/")+"/")
}

func refused(cwd, resolved, workDir string) *shimMsg {
	return &shimMsg{T: "fail", Code: "cwd_refused", Resolved: resolved,
		Message: fmt.Sprintf("cwd %s resolves to %s, outside %s", cwd, resolved, workDir)}
}

// lookPath resolves a bare program name with the command's own PATH.
func lookPath(name string, env []string) (string, error) {
	if strings.Contains(name, "/") {
		return name, nil
	}
	path := "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	for _, kv := range env {
		if strings.HasPrefix(kv, "PATH=") {
			path = kv[5:]
		}
	}
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			dir = "."
		}
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", errors.New("executable file not found in $PATH")
}

// ---- the supervisor's end of a shim ----

type shimLink struct {
	f   *os.File
	r   *bufio.Reader
	pid int
	wmu sync.Mutex

	mu      sync.Mutex
	nextID  int
	pending map[int]chan bool
	closed  bool
}

// warmShim is a started shim waiting for its config, with our ends of its
// stdio pipes. One is kept ready: exec and Go start-up of the shim cost more
// than the command's own start, so they are paid ahead of time.
type warmShim struct {
	link                     *shimLink
	wait                     <-chan syscall.WaitStatus
	stdinW, stdoutR, stderrR *os.File
}

var spare struct {
	sync.Mutex
	s *warmShim
}

func spawnShim() (*warmShim, error) {
	var child [4]*os.File // the shim's fds 0-3; closed here once it has them
	defer func() {
		for _, f := range child {
			if f != nil {
				f.Close()
			}
		}
	}()
	w := &warmShim{}
	var err error
	if child[0], w.stdinW, err = pipe(false); err != nil {
		return nil, err
	}
	if w.stdoutR, child[1], err = pipe(true); err == nil {
		w.stderrR, child[2], err = pipe(true)
	}
	fds, serr := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err == nil && serr == nil {
		child[3] = os.NewFile(uintptr(fds[1]), "shim-ctl")
		syscall.SetNonblock(fds[0], true) // through Go's poller, so reads don't pin threads
		w.link = &shimLink{f: os.NewFile(uintptr(fds[0]), "shim"), pending: map[int]chan bool{}}
		w.link.pid, w.wait, err = reaper.spawn(func() (int, error) {
			return syscall.ForkExec(selfExe, []string{"tidepool-supervisor", "shim"}, &syscall.ProcAttr{
				Env:   os.Environ(),
				Files: []uintptr{child[0].Fd(), child[1].Fd(), child[2].Fd(), child[3].Fd()},
			})
		})
	} else if err == nil {
		err = serr
	}
	if err != nil {
		w.discard()
		return nil, err
	}
	w.link.r = bufio.NewReader(w.link.f)
	return w, nil
}

// discard closes our ends; a shim still waiting for its config then exits.
func (w *warmShim) discard() {
	for _, f := range []*os.File{w.stdinW, w.stdoutR, w.stderrR} {
		if f != nil {
			f.Close()
		}
	}
	if w.link != nil {
		w.link.f.Close()
	}
}

func refillSpare() {
	w, err := spawnShim()
	if err != nil {
		return
	}
	spare.Lock()
	if spare.s == nil {
		spare.s, w = w, nil
	}
	spare.Unlock()
	if w != nil {
		w.discard()
	}
}

// startShim hands cfg to a shim (the spare if there is one) and returns once
// it reports the command's pid, or its refusal (first.T == "fail").
func startShim(cfg shimMsg) (w *warmShim, first shimMsg, err error) {
	spare.Lock()
	w, spare.s = spare.s, nil
	spare.Unlock()
	// Refilled once this start is under way, not competing with it for CPU.
	defer func() { go refillSpare() }()
	for attempt := 0; attempt < 2; attempt++ {
		if w == nil {
			if w, err = spawnShim(); err != nil {
				return nil, first, err
			}
		}
		w.link.write(cfg)
		if first, err = w.link.read(); err == nil {
			if first.T != "pid" {
				w.discard()
				return nil, first, nil
			}
			return w, first, nil
		}
		// A spare can have been killed (user code's `kill -9 -1`): use a fresh one.
		w.discard()
		w = nil
	}
	return nil, first, errors.New("the shim died before starting the command")
}

func (l *shimLink) write(m shimMsg) error {
	b, _ := json.Marshal(m)
	l.wmu.Lock()
	defer l.wmu.Unlock()
	_, err := l.f.Write(append(b, '\n'))
	return err
}

func (l *shimLink) read() (shimMsg, error) {
	var m shimMsg
	line, err := l.r.ReadBytes('\n')
	if err != nil {
		return m, err
	}
	return m, json.Unmarshal(line, &m)
}

// readLoop delivers "exit" via onExit and "done" to request waiters, until EOF.
func (l *shimLink) readLoop(onExit func(syscall.WaitStatus)) {
	for {
		m, err := l.read()
		if err != nil {
			break
		}
		switch m.T {
		case "exit":
			onExit(syscall.WaitStatus(m.Status))
		case "done":
			l.mu.Lock()
			ch := l.pending[m.ID]
			delete(l.pending, m.ID)
			l.mu.Unlock()
			if ch != nil {
				ch <- m.OK
			}
		}
	}
	l.f.Close()
	// The shim is gone, and with it (normally) every process under it.
	l.mu.Lock()
	l.closed = true
	for id, ch := range l.pending {
		ch <- true
		delete(l.pending, id)
	}
	l.mu.Unlock()
}

// request sends kill/signal and waits for the shim's answer. A shim that is
// already gone counts as success: nothing is left under it.
func (l *shimLink) request(m shimMsg, timeout time.Duration) bool {
	ch := make(chan bool, 1)
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return true
	}
	l.nextID++
	m.ID = l.nextID
	l.pending[m.ID] = ch
	l.mu.Unlock()
	if l.write(m) != nil {
		return true
	}
	select {
	case ok := <-ch:
		return ok
	case <-time.After(timeout):
		return false
	}
}
