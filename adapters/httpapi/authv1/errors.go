package authv1

import (
	"log/slog"
	"net/http"

	"gatehouse/adapters/httpapi"
)

// fail answers err in the error shape {"error":{code, reason, message,
// fields}}, with Retry-After when err says how long to wait. Only internal
// errors are logged, and their callers see "Internal error." alone.
func fail(w http.ResponseWriter, r *http.Request, err error) {
	// The contract names only 201 for registration; the rest follows HTTP
	// (httpapi.StatusOf) and openapi.json documents it.
	status := httpapi.StatusOf(err)
	if status == http.StatusInternalServerError {
		httpapi.Logger(r.Context()).LogAttrs(r.Context(), slog.LevelError, "authv1: request failed", slog.Any("err", err))
	}
	httpapi.SetRetryAfter(w, err)
	httpapi.WriteJSON(w, status, httpapi.NewErrorBody(err))
}
