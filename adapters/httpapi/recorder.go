package httpapi

import "net/http"

// recorder remembers the status and size of a response for the access log
// and the metrics.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

// WriteHeader records the first status written.
func (rec *recorder) WriteHeader(status int) {
	if rec.status == 0 {
		rec.status = status
	}
	rec.ResponseWriter.WriteHeader(status)
}

// Write counts bytes; a write without a status means 200.
func (rec *recorder) Write(p []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	n, err := rec.ResponseWriter.Write(p)
	rec.bytes += int64(n)
	return n, err
}

// Flush passes through, so streaming handlers keep working.
func (rec *recorder) Flush() {
	if f, ok := rec.ResponseWriter.(http.Flusher); ok {
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

// written reports whether the response has started.
func (rec *recorder) written() bool { return rec.status != 0 }

// statusOr returns the recorded status, or def when nothing was written
// (net/http then sends 200).
func (rec *recorder) statusOr(def int) int {
	if rec.status == 0 {
		return def
	}
	return rec.status
}
