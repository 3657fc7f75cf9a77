package main

import (
	"fmt"
	"io"
	"net"
	"os"
)

// connectMain bridges stdin/stdout (a docker exec) to the supervisor socket.
func connectMain() {
	nc, err := net.Dial("unix", socketName)
	if err != nil {
		fmt.Fprintf(os.Stderr, "tidepool-supervisor connect: cannot reach the supervisor: %v\n", err)
		os.Exit(3)
	}
	uc := nc.(*net.UnixConn)
	go func() {
		io.CopyBuffer(uc, os.Stdin, make([]byte, 1<<20))
		// Half-close: the supervisor sees EOF but its replies still reach us.
		uc.CloseWrite()
	}()
	io.CopyBuffer(os.Stdout, uc, make([]byte, 1<<20))
	os.Exit(0)
}
