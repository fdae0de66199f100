package telegramapi

import (
	"net/http"

	"gatehouse/adapters/httpapi"
)

// newLink serves POST /telegram/link: a single-use t.me link, ten minutes
// long, that links the Telegram user who opens it to the caller's account.
func (a *API) newLink(w http.ResponseWriter, r *http.Request) {
	userID, err := a.user(r)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	tok, err := a.links.NewLinkToken(r.Context(), userID)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusCreated, linkAnswer{URL: a.o.LinkURL(tok.Token), ExpiresAt: tok.ExpiresAt.UTC()})
}

// unlink serves DELETE /telegram/link.
func (a *API) unlink(w http.ResponseWriter, r *http.Request) {
	userID, err := a.user(r)
	if err == nil {
		_, err = a.links.Unlink(r.Context(), userID)
	}
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
