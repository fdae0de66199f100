package authv1

import (
	"log/slog"
	"net/http"
	"strings"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
)

// statusOf maps a fault to this contract's status. The contract names only
// 201 for registration; the rest follows HTTP and openapi.json documents it.
func statusOf(err error) int {
	switch fault.ReasonOf(err) {
	case httpapi.ReasonBodyTooLarge:
		return http.StatusRequestEntityTooLarge
	case httpapi.ReasonMediaType:
		return http.StatusUnsupportedMediaType
	}
	switch fault.CodeOf(err) {
	case fault.Invalid:
		return http.StatusBadRequest
	case fault.Unauthenticated:
		return http.StatusUnauthorized
	case fault.Forbidden:
		return http.StatusForbidden
	case fault.NotFound:
		return http.StatusNotFound
	case fault.Conflict:
		return http.StatusConflict
	case fault.RateLimited:
		return http.StatusTooManyRequests
	case fault.Unavailable:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// fail answers err in the error shape {"error":{code, reason, message,
// fields}}, with Retry-After when err says how long to wait. Only internal
// errors are logged, and their callers see "Internal error." alone.
func fail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	if status == http.StatusInternalServerError {
		httpapi.Logger(r.Context()).LogAttrs(r.Context(), slog.LevelError, "authv1: request failed", slog.Any("err", err))
	}
	httpapi.SetRetryAfter(w, err)
	httpapi.WriteJSON(w, status, httpapi.NewErrorBody(err))
}

// renameField returns err with field `from` called `to`, for use cases whose
// field names differ from this contract's. Fields that become duplicates
// are merged, and the message is rebuilt from what remains.
func renameField(err error, from, to string) error {
	fe, ok := fault.As(err)
	if !ok || len(fe.Fields) == 0 {
		return err
	}
	out := *fe
	out.Fields = nil
	seen := map[fault.FieldError]bool{}
	msgs := make([]string, 0, len(fe.Fields))
	renamed := false
	for _, f := range fe.Fields {
		if f.Field == from {
			f.Field = to
			f.Message = strings.Replace(f.Message, from, to, 1)
			renamed = true
		}
		if seen[f] {
			continue
		}
		seen[f] = true
		out.Fields = append(out.Fields, f)
		msgs = append(msgs, f.Message)
	}
	if !renamed {
		return err
	}
	out.Message = strings.Join(msgs, "; ")
	return &out
}
