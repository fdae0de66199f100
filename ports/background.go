package ports

import "context"

// Background runs work off the request path, so that a request answers in
// the same time whatever the work turns out to do (a password reset for an
// address that has an account, or for one that has none).
type Background interface {
	// Defer queues task and returns without waiting for it; task runs once,
	// later, on another goroutine, with a context that carries ctx's values
	// but not its deadline or cancellation. Tasks handle their own errors.
	// fault.Unavailable when the queue is full or shutting down; the task
	// is not run then.
	Defer(ctx context.Context, task func(context.Context)) error
}
