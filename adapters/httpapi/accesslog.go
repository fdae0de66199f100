package httpapi

import (
	"io"
	"log/slog"
	"strconv"
	"sync"
	"time"
)

// accessMessage is the message of every access line.
const accessMessage = "http request"

// accessLine is what the access log says of one request.
type accessLine struct {
	at       time.Time
	id       string
	method   string
	route    string
	status   int
	bytes    int64
	duration time.Duration
}

// record is l as a slog record, for any handler.
func (l accessLine) record() slog.Record {
	r := slog.NewRecord(l.at, slog.LevelInfo, accessMessage, 0)
	r.AddAttrs(
		slog.String(keyRequestID, l.id),
		slog.String("method", l.method),
		slog.String("route", l.route),
		slog.Int("status", l.status),
		slog.Int64("bytes", l.bytes),
		slog.Duration("duration", l.duration),
	)
	return r
}

// accessFormat writes access lines as slog's text or JSON handler would
// write their records, byte for byte (TestAccessFormatIsSlogs), without
// their general machinery: a line every request made slog's formatting
// and lock a twentieth of the redirect path. It writes only lines whose
// strings slog writes unchanged; any other line goes through slog.
type accessFormat struct {
	w    io.Writer // safe for concurrent use, one line per Write
	json bool
	bufs sync.Pool // of *[]byte
}

func newAccessFormat(w io.Writer, json bool) *accessFormat {
	return &accessFormat{w: w, json: json, bufs: sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}}
}

// write writes l and reports true, or reports false when l holds a string
// that slog would quote or escape, or a time it would refuse.
func (f *accessFormat) write(l accessLine) bool {
	at := l.at.Round(0)
	if !plain(l.id) || !plain(l.method) || !plain(l.route) || at.Year() < 0 || at.Year() >= 10000 {
		return false
	}
	bp := f.bufs.Get().(*[]byte)
	b := (*bp)[:0]
	if f.json {
		b = append(b, `{"time":"`...)
		b = at.AppendFormat(b, time.RFC3339Nano)
		b = append(b, `","level":"INFO","msg":"`+accessMessage+`","`+keyRequestID+`":"`...)
		b = append(b, l.id...)
		b = append(b, `","method":"`...)
		b = append(b, l.method...)
		b = append(b, `","route":"`...)
		b = append(b, l.route...)
		b = append(b, `","status":`...)
		b = strconv.AppendInt(b, int64(l.status), 10)
		b = append(b, `,"bytes":`...)
		b = strconv.AppendInt(b, l.bytes, 10)
		b = append(b, `,"duration":`...)
		b = strconv.AppendInt(b, int64(l.duration), 10)
		b = append(b, "}\n"...)
	} else {
		b = append(b, "time="...)
		b = appendMillis(b, at)
		b = append(b, ` level=INFO msg="`+accessMessage+`" `+keyRequestID+`=`...)
		b = append(b, l.id...)
		b = append(b, " method="...)
		b = append(b, l.method...)
		b = append(b, " route="...)
		b = append(b, l.route...)
		b = append(b, " status="...)
		b = strconv.AppendInt(b, int64(l.status), 10)
		b = append(b, " bytes="...)
		b = strconv.AppendInt(b, l.bytes, 10)
		b = append(b, " duration="...)
		b = append(b, l.duration.String()...)
		b = append(b, '\n')
	}
	_, _ = f.w.Write(b)
	*bp = b
	f.bufs.Put(bp)
	return true
}

// appendMillis appends t in RFC 3339 with exactly three decimals, as
// slog's text handler writes times.
func appendMillis(b []byte, t time.Time) []byte {
	const dot = len("2006-01-02T15:04:05")
	n := len(b)
	// RFC3339Nano trims trailing zeros: a tenth of a millisecond more
	// keeps four decimals, of which the last is dropped.
	b = t.Truncate(time.Millisecond).Add(time.Millisecond/10).AppendFormat(b, time.RFC3339Nano)
	return append(b[:n+dot+4], b[n+dot+5:]...)
}

// plain reports whether s is written unchanged by both of slog's handlers:
// not empty, printable ASCII, and none of space, '=', '"' or '\'.
func plain(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c > '~' || c == '=' || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}
