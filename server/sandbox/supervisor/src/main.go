// tidepool-supervisor: PID 1 of a Tidepool sandbox. See ../PROTOCOL.md.
package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"
)

const socketName = "@tidepool-supervisor"

var (
	bootID  string
	selfExe string
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: tidepool-supervisor serve|connect")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "serve":
		serve()
	case "shim":
		shimMain()
	case "connect":
		connectMain()
	default:
		fmt.Fprintf(os.Stderr, "tidepool-supervisor: unknown mode %q\n", os.Args[1])
		os.Exit(2)
	}
}

func serve() {
	// As PID 1 only signals with a handler reach us: catch everything (so a
	// user's `kill -SEGV 1` lands in a channel instead of Go's crash path) and
	// ignore the job-control/termination ones outright.
	drain := make(chan os.Signal, 64)
	signal.Notify(drain)
	go func() {
		for range drain {
		}
	}()
	signal.Ignore(syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGUSR1,
		syscall.SIGUSR2, syscall.SIGPIPE, syscall.SIGTSTP, syscall.SIGTTIN, syscall.SIGTTOU)

	var b [8]byte
	rand.Read(b[:])
	bootID = hex.EncodeToString(b[:])
	var err error
	if selfExe, err = os.Executable(); err != nil {
		fatalf("cannot find own executable: %v", err)
	}
	// User code runs as our user: without this it could read our memory (a
	// dial token) and open our sockets and pipes through /proc/1.
	syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_DUMPABLE, 0, 0)
	go reaper.run()
	go refillSpare()

	ln, err := net.Listen("unix", socketName)
	if err != nil {
		fatalf("listen %s: %v", socketName, err)
	}
	for {
		nc, err := ln.Accept()
		if err != nil {
			fmt.Fprintf(os.Stderr, "tidepool-supervisor: accept: %v\n", err)
			continue
		}
		go serveConn(nc, "")
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "tidepool-supervisor: "+format+"\n", args...)
	os.Exit(1)
}
