package app

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"testing"
	"time"
)

// redisServer is a real redis-server on loopback that a test can kill and
// start again, empty, on the same port: what an operator sees when Redis
// restarts without persistence or fails over to an empty replica.
type redisServer struct {
	port int
	dir  string
	cmd  *exec.Cmd
}

// startRedis starts redis-server without persistence. Without the binary
// the test is skipped, except under CI, which installs it.
func startRedis(tb testing.TB) *redisServer {
	tb.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatal("redis-server is not installed; .ci/run installs it")
		}
		tb.Skip("redis-server is not installed")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	r := &redisServer{port: port, dir: tb.TempDir()}
	r.start(tb)
	tb.Cleanup(r.kill)
	return r
}

// URL is the server's address for GATEHOUSE_REDIS_URL.
func (r *redisServer) URL() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", r.port) }

func (r *redisServer) start(tb testing.TB) {
	tb.Helper()
	r.cmd = exec.Command("redis-server", "--bind", "127.0.0.1", "--port", fmt.Sprint(r.port),
		"--save", "", "--appendonly", "no", "--dir", r.dir)
	if err := r.cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", r.port))
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("redis-server did not listen on %d: %v", r.port, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// kill ends the server at once, SIGKILL, losing everything it held.
func (r *redisServer) kill() {
	if r.cmd == nil || r.cmd.Process == nil {
		return
	}
	_ = r.cmd.Process.Kill()
	_ = r.cmd.Wait()
	r.cmd = nil
}

// restartEmpty kills the server and starts a new, empty one on the port.
func (r *redisServer) restartEmpty(tb testing.TB) {
	tb.Helper()
	r.kill()
	r.start(tb)
}
