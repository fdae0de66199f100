package authv1

import (
	"net/http"

	"gatehouse/adapters/httpapi"
)

// statusResponse is the body of GET /status.
type statusResponse struct {
	Status  string `json:"status"`
	Version string `json:"version"`
	Commit  string `json:"commit"`
}

// status reports that the service runs, and which build it is.
func (a *API) status(w http.ResponseWriter, _ *http.Request) {
	httpapi.WriteJSON(w, http.StatusOK, statusResponse{Status: "ok", Version: a.opts.Version, Commit: a.opts.Commit})
}
