package shortener

import (
	"net/http"
	"strconv"

	"github.com/skip2/go-qrcode"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
	"gatehouse/core/links"
)

// QR code sizes in pixels: the default and the bounds of ?size=.
const (
	qrDefaultSize = 256
	qrMinSize     = 64
	qrMaxSize     = 1024
)

// redirect sends the visitor to an alias's target and counts the visit.
// It is the hot path: no body, no JSON, nothing logged but the shared
// access line. Cache-Control keeps browsers and proxies from answering
// later visits themselves, so every visit reaches the counter.
func (a *API) redirect(w http.ResponseWriter, r *http.Request) {
	target, err := a.resolve(r)
	if err != nil {
		errs.Write(w, r, redirectFault(err))
		return
	}
	h := w.Header()
	h.Set("Location", target)
	h.Set("Cache-Control", "private, max-age=0")
	w.WriteHeader(a.opts.RedirectStatus)
}

// resolve finds the target of the request's alias. A GET is a visit and
// counts; a HEAD (link checkers, chat previews) only looks.
func (a *API) resolve(r *http.Request) (string, error) {
	alias := httpapi.Var(r, "alias")
	if r.Method == http.MethodHead {
		l, err := a.links.Lookup(r.Context(), alias)
		return l.Target, err
	}
	return a.links.Resolve(r.Context(), alias)
}

// redirectFault words the faults of a redirect for a visitor.
func redirectFault(err error) error {
	switch fault.ReasonOf(err) {
	case links.ReasonGone:
		return fault.Wrap(err, fault.Gone, links.ReasonGone, "This short link is gone: it has expired or reached its visit limit.")
	case links.ReasonNotFound:
		return fault.Wrap(err, fault.NotFound, links.ReasonNotFound, "No such short link.")
	}
	return err
}

// qr answers a PNG QR code of an alias's short URL, or the redirect's 404
// or 410 when the alias leads nowhere, so a QR code is never printed for a
// dead link. Looking the alias up counts no visit. The picture is cached
// briefly only: a link deleted or expired since should soon answer so.
func (a *API) qr(w http.ResponseWriter, r *http.Request) {
	size := qrDefaultSize
	if s := r.URL.Query().Get("size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < qrMinSize || n > qrMaxSize {
			errs.Write(w, r, fault.Invalidf("size", "range", "size must be a whole number of pixels from %d to %d.", qrMinSize, qrMaxSize))
			return
		}
		size = n
	}
	l, err := a.links.Lookup(r.Context(), httpapi.Vars(r)["alias"])
	if err != nil {
		errs.Write(w, r, redirectFault(err))
		return
	}
	png, err := qrcode.Encode(a.shortURL(r, l.Alias), qrcode.Medium, size)
	if err != nil {
		errs.Write(w, r, fault.Wrap(err, fault.Internal, "shortener.qr", ""))
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("Content-Length", strconv.Itoa(len(png)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(png)
}

// shortURL is the URL an alias is served at: PublicURL, or else the
// request's own scheme and host, then RedirectPrefix and the alias.
func (a *API) shortURL(r *http.Request, alias string) string {
	base := a.opts.PublicURL
	if base == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return base + a.opts.RedirectPrefix + "/" + alias
}
