package shortener

import (
	"net/http"
	"time"

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

// newLink reads a create request into what the link use cases take.
func (req urlRequest) newLink() (ports.NewLink, error) {
	p, err := req.patch()
	if err != nil {
		return ports.NewLink{}, err
	}
	n := ports.NewLink{Target: *p.Target}
	if p.Alias != nil {
		n.Alias = *p.Alias
	}
	if p.ExpiresAt != nil {
		n.ExpiresAt = *p.ExpiresAt
	}
	if p.MaxRedirects != nil {
		n.MaxRedirects = *p.MaxRedirects
	}
	return n, nil
}

// patch reads a request into a change of a link: the fields it carries.
// url is required, as the document's url object has it; an empty
// expires_at removes the expiry.
func (req urlRequest) patch() (ports.LinkPatch, error) {
	if err := httpapi.Require(httpapi.Field{Name: "url", Value: req.URL}); err != nil {
		return ports.LinkPatch{}, err
	}
	p := ports.LinkPatch{Target: &req.URL, Alias: req.Alias, MaxRedirects: req.MaxRedirects}
	if req.ExpiresAt != nil {
		var t time.Time
		if *req.ExpiresAt != "" {
			var err error
			if t, err = time.Parse(time.RFC3339, *req.ExpiresAt); err != nil {
				return ports.LinkPatch{}, fault.Invalidf("expires_at", "format",
					"expires_at must be an RFC 3339 time such as 2030-01-02T15:04:05Z.")
			}
		}
		p.ExpiresAt = &t
	}
	return p, nil
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
	n, err := req.newLink()
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
	p, err := req.patch()
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	before, _, err := a.links.Update(r.Context(), claims.Subject, httpapi.Vars(r)["id"], p)
	if err != nil {
		errs.Write(w, r, linkFault(err))
		return
	}
	// The document answers "url object with not-updated fields".
	httpapi.WriteJSON(w, http.StatusOK, newURLObject(before))
}

// deleteURL removes a link of the signed-in user.
func (a *API) deleteURL(w http.ResponseWriter, r *http.Request) {
	claims, ok := a.authenticate(w, r)
	if !ok {
		return
	}
	if err := a.links.Delete(r.Context(), claims.Subject, httpapi.Vars(r)["id"]); err != nil {
		errs.Write(w, r, linkFault(err))
		return
	}
	w.WriteHeader(http.StatusOK)
}
