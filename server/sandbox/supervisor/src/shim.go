package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// shimMsg is one message on the shim's control socket (fd 3, a SOCK_SEQPACKET
// socket: one JSON object per message), either way.
//
//	supervisor → shim: {"t":"config",argv,env,cwd,workDir} with the command's stdin, stdout and stderr
//	                   attached (SCM_RIGHTS), {"t":"kill","id"}, {"t":"signal","id","sig","tree"}
//	shim → supervisor: {"t":"pid","pid"} | {"t":"fail","code","message","resolved"}, {"t":"exit","status"},
//	                   {"t":"free"} (nothing of that command is left: send the next config), {"t":"done","id","ok"}
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
	WorkDir  string   `json:"workDir,omitempty"`
}

const (
	killTimeout = 3 * time.Second
	// maxShimMsg bounds a control message: a config carries at most one request header's argv and env
	// (64 KiB) plus the container's environment.
	maxShimMsg = 192 << 10
)

// ---- the shim process ----

// A shim runs one command at a time and then waits for the next: exec and Go
// start-up cost more than the command's own start, so the supervisor reuses
// shims whose command left nothing behind.
type shimState struct {
	wmu  sync.Mutex
	ctl  *net.UnixConn
	home string // the cwd a config without one runs in

	mu     sync.Mutex // held across wait4 so a reaped command pid is never signalled
	cmd    int
	exited bool
}

type shimConfig struct {
	msg shimMsg
	fds []int // stdin, stdout, stderr for the command
}

func (s *shimState) send(m shimMsg) {
	b, _ := json.Marshal(m)
	s.wmu.Lock()
	s.ctl.Write(b)
	s.wmu.Unlock()
}

func shimMain() {
	f := os.NewFile(3, "ctl")
	nc, err := net.FileConn(f) // a close-on-exec duplicate: the command must not inherit it
	f.Close()
	ctl, ok := nc.(*net.UnixConn)
	if err != nil || !ok {
		os.Exit(1)
	}
	s := &shimState{ctl: ctl, home: "/"}
	if wd, err := syscall.Getwd(); err == nil {
		s.home = wd
	}
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

	configs := make(chan shimConfig)
	go s.control(configs)
	tick := time.NewTicker(100 * time.Millisecond)
	for cfg := range configs {
		if s.run(cfg) {
			// Until nothing the command started is left: a subreaper outlives its tree.
			for !s.reap() {
				select {
				case <-sigs:
				case <-tick.C:
				}
			}
		}
		s.send(shimMsg{T: "free"})
	}
	os.Exit(0) // the supervisor closed the control socket
}

// run starts one command; false if it could not be started (reported as "fail").
func (s *shimState) run(cfg shimConfig) bool {
	defer func() {
		for _, fd := range cfg.fds {
			syscall.Close(fd)
		}
	}()
	m := cfg.msg
	if len(cfg.fds) != 3 || len(m.Argv) == 0 {
		s.send(shimMsg{T: "fail", Code: "bad_request", Message: "shim got no valid config"})
		return false
	}
	cwd := m.Cwd
	if cwd == "" {
		cwd = s.home
	}
	if fail := enterCwd(cwd, m.WorkDir); fail != nil {
		s.send(*fail)
		return false
	}
	path, err := lookPath(m.Argv[0], m.Env)
	s.mu.Lock()
	if err == nil {
		s.cmd, err = syscall.ForkExec(path, m.Argv, &syscall.ProcAttr{
			Env: m.Env, Files: []uintptr{uintptr(cfg.fds[0]), uintptr(cfg.fds[1]), uintptr(cfg.fds[2])},
			Sys: &syscall.SysProcAttr{Setpgid: true},
		})
	}
	s.exited = err != nil
	s.mu.Unlock()
	if err != nil {
		s.send(shimMsg{T: "fail", Code: "start_failed", Message: fmt.Sprintf("%s: %v", m.Argv[0], err)})
		return false
	}
	s.send(shimMsg{T: "pid", Pid: s.cmd})
	return true
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

// control reads the supervisor's messages: configs go to the main loop, kill
// and signal are obeyed at once. It closes configs when the supervisor is gone.
func (s *shimState) control(configs chan<- shimConfig) {
	defer close(configs)
	buf := make([]byte, maxShimMsg)
	oob := make([]byte, syscall.CmsgSpace(3*4))
	for {
		n, oobn, _, _, err := s.ctl.ReadMsgUnix(buf, oob)
		if err != nil || n == 0 {
			return // the supervisor is gone; nothing to obey
		}
		fds := receivedFds(oob[:oobn])
		var m shimMsg
		if json.Unmarshal(buf[:n], &m) != nil || m.T != "config" {
			for _, fd := range fds {
				syscall.Close(fd)
			}
			fds = nil
		}
		switch m.T {
		case "config":
			configs <- shimConfig{msg: m, fds: fds}
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

// receivedFds: the descriptors passed with a message, made close-on-exec so
// only the ones ForkExec places as 0-2 reach the command.
func receivedFds(oob []byte) []int {
	msgs, err := syscall.ParseSocketControlMessage(oob)
	if err != nil {
		return nil
	}
	var fds []int
	for i := range msgs {
		got, err := syscall.ParseUnixRights(&msgs[i])
		if err == nil {
			fds = append(fds, got...)
		}
	}
	for _, fd := range fds {
		syscall.CloseOnExec(fd)
	}
	return fds
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
