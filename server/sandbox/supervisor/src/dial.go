package main

import (
	"net"
	"time"
)

const dialTimeout = 5 * time.Second

// dialOp connects to a socket the app listens on (in a host folder mounted
// read-only, so only the app can listen there) and serves that connection
// like any other. It spares every frame the docker exec bridge: dockerd,
// containerd-shim and `connect`. The app's one-time token goes back in the
// hello so the app knows the connection is the one it asked for.
func (c *conn) dialOp(req *request) {
	defer c.recoverPanic(req)
	if !c.checkPath(req.Rid, req.Path) {
		return
	}
	if req.Token == "" {
		c.fail(req.Rid, "bad_request", "dial needs a token", nil)
		return
	}
	nc, err := net.DialTimeout("unix", req.Path, dialTimeout)
	if err != nil {
		c.failErr(req.Rid, err)
		return
	}
	go serveConn(nc, req.Token)
	c.ok(req.Rid)
}
