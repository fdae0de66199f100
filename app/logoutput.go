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
//
// A full buffer is written to w outside the lock that lines are added
// under, so requests logging meanwhile append to the next buffer instead
// of waiting for the write (which at 8 MB of lines a second held every
// logging request up each few milliseconds); a second lock keeps the
// writes in order.
type LogOutput struct {
	mu    sync.Mutex // buf, spare, armed
	buf   []byte
	spare []byte // the buffer last written, to fill next
	armed bool   // a timed flush is pending

	wmu sync.Mutex // w; taken while holding mu, so writes keep their order
	w   io.Writer
}

// NewLogOutput returns a LogOutput writing to w.
func NewLogOutput(w io.Writer) *LogOutput {
	return &LogOutput{w: w}
}

// Write buffers p, one or more whole lines (slog writes one per call).
// Errors of w are not reported to the logger, which could do nothing with them.
func (o *LogOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	o.buf = append(o.buf, p...)
	if len(o.buf) >= logFlushSize {
		o.flushLocked() // unlocks mu
		return len(p), nil
	}
	if !o.armed {
		o.armed = true
		time.AfterFunc(logFlushEvery, o.timed)
	}
	o.mu.Unlock()
	return len(p), nil
}

// Flush writes every buffered line to w now.
func (o *LogOutput) Flush() {
	o.mu.Lock()
	o.flushLocked()
}

// timed is the pending flush.
func (o *LogOutput) timed() {
	o.mu.Lock()
	o.armed = false
	o.flushLocked()
}

// flushLocked hands the buffered lines to w. The caller holds mu, which
// flushLocked releases once the lines are out of the buffer and the write
// lock is taken, before writing.
func (o *LogOutput) flushLocked() {
	if len(o.buf) == 0 {
		o.mu.Unlock()
		return
	}
	out := o.buf
	o.buf, o.spare = o.spare[:0], nil
	o.wmu.Lock()
	o.mu.Unlock()
	_, _ = o.w.Write(out)
	o.wmu.Unlock()
	o.mu.Lock()
	if o.spare == nil {
		o.spare = out[:0]
	}
	o.mu.Unlock()
}
