package account

import (
	"net/http"
	"strconv"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
	"gatehouse/core/identity"
)

// users lists users by id, a page at a time (?limit=1..100, default 20;
// ?offset=0.., default 0).
func (a *API) users(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, lerr := intParam(q.Get("limit"), identity.DefaultPageSize, 1, identity.MaxPageSize, "limit")
	offset, oerr := intParam(q.Get("offset"), 0, 0, maxOffset, "offset")
	if err := joinInvalid(lerr, oerr); err != nil {
		errs.Write(w, r, err)
		return
	}
	list, err := a.profiles.Users(r.Context(), offset, limit)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	ids := a.catalogIDs()
	out := make([]publicProfile, 0, len(list))
	for _, u := range list {
		out = append(out, ids.publicOf(u))
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
}

// search finds one user: search-42 by id, search-alice by login. A login
// made of digits only is found by login when no user has that id.
func (a *API) search(w http.ResponseWriter, r *http.Request) {
	ref := httpapi.Vars(r)["ref"]
	u, err := a.find(r, ref)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, a.catalogIDs().publicOf(u))
}

// find resolves a search reference.
func (a *API) find(r *http.Request, ref string) (identity.User, error) {
	if !allDigits(ref) {
		return a.profiles.UserByLogin(r.Context(), ref)
	}
	n, err := strconv.ParseInt(ref, 10, 64)
	if err == nil {
		u, err := a.profiles.UserByNumber(r.Context(), n)
		if !fault.Is(err, fault.NotFound) {
			return u, err
		}
	}
	return a.profiles.UserByLogin(r.Context(), ref)
}

// allDigits reports whether s is a non-empty run of ASCII digits.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// maxOffset keeps offsets in a range every store handles.
const maxOffset = 1 << 30

// intParam reads an integer query parameter in [lo, hi]; "" means def.
func intParam(s string, def, lo, hi int, name string) (int, error) {
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, fault.Invalidf(name, "range", "must be an integer from %d to %d", lo, hi)
	}
	return n, nil
}

// joinInvalid merges the field errors of several form errors (nils
// skipped) into one.
func joinInvalid(errs ...error) error {
	var fields []fault.FieldError
	for _, err := range errs {
		if fe, ok := fault.As(err); ok {
			fields = append(fields, fe.Fields...)
		}
	}
	return formError(fields)
}
