package httpapi

import (
	"context"
	"encoding/base32"
	"encoding/binary"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"

	"github.com/gorilla/mux"
)

// HeaderRequestID carries the request id in and out.
const HeaderRequestID = "X-Request-ID"

// headerRequestIDKey is HeaderRequestID as net/http keys it
// (http.CanonicalHeaderKey), so the middleware sets it without recomputing.
const headerRequestIDKey = "X-Request-Id"

// maxRequestIDLen bounds an incoming request id; longer ones are replaced.
const maxRequestIDLen = 128

// requestInfo is what the middleware learns about a request; it lives in
// the request context so inner layers can fill in the route template.
type requestInfo struct {
	id       string
	clientIP string
	base     *slog.Logger // the middleware's; log adds the request id to it
	logOnce  sync.Once
	log      *slog.Logger // made on first use: most requests log nothing of their own
	route    string       // the matched template, or "" while unmatched
	reason   string       // the fault reason of an error answer, for the metrics
	match    routeMatch   // the matched route and its variables (Vars, Var)
	rec      recorder     // the response's status and size: one allocation with the rest

	crossOrigin *http.CrossOriginProtection // see CredentialCookie
}

type infoKey struct{}

func withInfo(ctx context.Context, info *requestInfo) context.Context {
	return context.WithValue(ctx, infoKey{}, info)
}

func infoFrom(ctx context.Context) *requestInfo {
	info, _ := ctx.Value(infoKey{}).(*requestInfo)
	return info
}

// RequestID returns the id of the request ctx belongs to, or "".
func RequestID(ctx context.Context) string {
	if info := infoFrom(ctx); info != nil {
		return info.id
	}
	return ""
}

// Logger returns the request's logger, which puts the request id on every
// line. Outside a request it returns a logger that discards, so callers
// never check for nil.
func Logger(ctx context.Context) *slog.Logger {
	if info := infoFrom(ctx); info != nil {
		return info.logger()
	}
	return slog.New(slog.DiscardHandler)
}

// logger returns the request's logger, making it on first use.
func (info *requestInfo) logger() *slog.Logger {
	info.logOnce.Do(func() { info.log = info.base.With(slog.String(keyRequestID, info.id)) })
	return info.log
}

// ClientIP returns the caller's address: the peer's, or with
// Options.TrustProxy the one the nearest proxy put in X-Forwarded-For.
func ClientIP(r *http.Request) string {
	if info := infoFrom(r.Context()); info != nil {
		return info.clientIP
	}
	return peerIP(r)
}

// clientIP computes what ClientIP returns. The rightmost X-Forwarded-For
// entry is the one our own proxy appended; entries to its left were written
// by the client and may be forged.
func clientIP(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if ip := net.ParseIP(strings.TrimSpace(parts[len(parts)-1])); ip != nil {
				return ip.String()
			}
		}
	}
	return peerIP(r)
}

func peerIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// requestID keeps a sane incoming id, so a caller's or a proxy's id joins
// the logs, and otherwise makes a new one: 128 random bits in the 26
// characters crypto/rand.Text would spell them with. An id names a request
// and guards nothing, so its bits come from math/rand/v2 (the runtime's
// ChaCha8, seeded by the kernel), which costs no system call.
func requestID(incoming string) string {
	if validRequestID(incoming) {
		return incoming
	}
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], rand.Uint64())
	binary.LittleEndian.PutUint64(b[8:], rand.Uint64())
	return requestIDEncoding.EncodeToString(b[:])
}

// requestIDEncoding spells request ids as crypto/rand.Text does.
var requestIDEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// validRequestID allows what ids commonly look like (UUIDs, hex, base32/64
// url-safe) and nothing that could break a log line or a header.
func validRequestID(s string) bool {
	if s == "" || len(s) > maxRequestIDLen {
		return false
	}
	for _, c := range s {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == ':'
		if !ok {
			return false
		}
	}
	return true
}

// Vars returns the variables of the route that matched r ({alias},
// {id}), which the router records on the request's own information rather
// than on a copy of the request.
func Vars(r *http.Request) map[string]string {
	if info := infoFrom(r.Context()); info != nil && info.match.found() {
		return info.match.varsMap()
	}
	return mux.Vars(r)
}

// Var returns the variable name of the route that matched r, or "": Vars
// without the map, for the paths where every allocation counts.
func Var(r *http.Request, name string) string {
	if info := infoFrom(r.Context()); info != nil && info.match.fast != nil {
		return info.match.fast.value(info.match.path, name)
	}
	return Vars(r)[name]
}
