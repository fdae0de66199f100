package shortener

import (
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
	"gatehouse/core/links"
	"gatehouse/ports"
)

// urlRequest is the body of POST /urls and PUT /urls/{id}. ExpiresAt and
// MaxRedirects are gatehouse's additions to the contract; a PUT that omits
// alias, expires_at or max_redirects keeps the link's current value.
type urlRequest struct {
	URL          string  `json:"url"`
	Alias        *string `json:"alias"`
	ExpiresAt    *string `json:"expires_at"` // RFC 3339
	MaxRedirects *int64  `json:"max_redirects"`
}

// urlObject is the contract's url object. expires_at and max_redirects
// appear only on links that have them.
type urlObject struct {
	ID           string `json:"id"`
	Alias        string `json:"alias"`
	URL          string `json:"url"`
	Redirects    int64  `json:"redirects"`
	ExpiresAt    string `json:"expires_at,omitempty"`
	MaxRedirects int64  `json:"max_redirects,omitempty"`
}

// newURLObject shapes a link for the contract.
func newURLObject(l links.Link) urlObject {
	o := urlObject{ID: l.ID, Alias: l.Alias, URL: l.Target, Redirects: l.Redirects, MaxRedirects: l.MaxRedirects}
	if !l.ExpiresAt.IsZero() {
		o.ExpiresAt = l.ExpiresAt.UTC().Format(time.RFC3339)
	}
	return o
}

// newLink reads a request into what the link use cases take, starting from
// base (the link's current values on update, zero on create).
func (req urlRequest) newLink(base ports.NewLink) (ports.NewLink, error) {
	if err := httpapi.Require(httpapi.Field{Name: "url", Value: req.URL}); err != nil {
		return ports.NewLink{}, err
	}
	n := base
	n.Target = req.URL
	if req.Alias != nil {
		n.Alias = *req.Alias
	}
	if req.MaxRedirects != nil {
		n.MaxRedirects = *req.MaxRedirects
	}
	if req.ExpiresAt != nil {
		n.ExpiresAt = time.Time{}
		if *req.ExpiresAt != "" {
			t, err := time.Parse(time.RFC3339, *req.ExpiresAt)
			if err != nil {
				return ports.NewLink{}, fault.Invalidf("expires_at", "format",
					"expires_at must be an RFC 3339 time such as 2030-01-02T15:04:05Z.")
			}
			n.ExpiresAt = t
		}
	}
	return n, nil
}

// listURLs returns the signed-in user's links, newest first.
func (a *API) listURLs(w http.ResponseWriter, r *http.Request) {
	claims, ok := a.authenticate(w, r)
	if !ok {
		return
	}
	ls, err := a.links.List(r.Context(), claims.Subject)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	out := make([]urlObject, 0, len(ls))
	for _, l := range ls {
		out = append(out, newURLObject(l))
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
}

// createURL shortens a URL for the signed-in user.
func (a *API) createURL(w http.ResponseWriter, r *http.Request) {
	claims, ok := a.authenticate(w, r)
	if !ok {
		return
	}
	var req urlRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		errs.Write(w, r, err)
		return
	}
	n, err := req.newLink(ports.NewLink{})
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	l, err := a.links.Create(r.Context(), claims.Subject, n)
	if err != nil {
		errs.Write(w, r, linkFault(err))
		return
	}
	httpapi.WriteJSON(w, http.StatusCreated, newURLObject(l))
}

// updateURL changes a link of the signed-in user and answers, as the
// contract's "url object with not-updated fields" says, the link as it was
// before this update. The previous state is read from the owner's links
// just before the change; a link the caller does not own is not among
// them, and the update itself then answers 403 or 404.
func (a *API) updateURL(w http.ResponseWriter, r *http.Request) {
	claims, ok := a.authenticate(w, r)
	if !ok {
		return
	}
	var req urlRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		errs.Write(w, r, err)
		return
	}
	id := mux.Vars(r)["id"]
	before, found, err := a.ownLink(r, claims.Subject, id)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	n, err := req.newLink(ports.NewLink{Alias: before.Alias, ExpiresAt: before.ExpiresAt, MaxRedirects: before.MaxRedirects})
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	after, err := a.links.Update(r.Context(), claims.Subject, id, n)
	if err != nil {
		errs.Write(w, r, linkFault(err))
		return
	}
	if !found {
		// Only a link that changed hands between the two calls gets here.
		before = after
	}
	httpapi.WriteJSON(w, http.StatusOK, newURLObject(before))
}

// deleteURL removes a link of the signed-in user.
func (a *API) deleteURL(w http.ResponseWriter, r *http.Request) {
	claims, ok := a.authenticate(w, r)
	if !ok {
		return
	}
	if err := a.links.Delete(r.Context(), claims.Subject, mux.Vars(r)["id"]); err != nil {
		errs.Write(w, r, linkFault(err))
		return
	}
	w.WriteHeader(http.StatusOK)
}

// ownLink finds one of ownerID's links by ID, with its current count.
func (a *API) ownLink(r *http.Request, ownerID, id string) (links.Link, bool, error) {
	ls, err := a.links.List(r.Context(), ownerID)
	if err != nil {
		return links.Link{}, false, err
	}
	for _, l := range ls {
		if l.ID == id {
			return l, true, nil
		}
	}
	return links.Link{}, false, nil
}
