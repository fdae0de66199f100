package shortener

import (
	"log/slog"
	"net/http"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
	"gatehouse/core/links"
)

// statusOf maps a fault to this contract's status: the document's codes
// where it names them, plain HTTP (httpapi.StatusOf) elsewhere; openapi.json
// lists them all.
func statusOf(err error) int {
	if fault.ReasonOf(err) == links.ReasonGone {
		// An expired or exhausted link: gone for good, not unknown.
		return http.StatusGone
	}
	return httpapi.StatusOf(err)
}

// fail answers err in the error shape {"error":{code, reason, message,
// fields}}, with Retry-After when err says how long to wait (a throttle, a
// busy hasher). Only internal errors are logged, and their callers see
// "Internal error." alone.
func fail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	if status == http.StatusInternalServerError {
		httpapi.Logger(r.Context()).LogAttrs(r.Context(), slog.LevelError, "shortener: request failed", slog.Any("err", err))
	}
	httpapi.SetRetryAfter(w, err)
	httpapi.WriteJSON(w, status, httpapi.NewErrorBody(err))
}

// refreshRefused turns a refused refresh token, which the session use cases
// report as unauthenticated, into the contract's 403 "Invalid refresh token".
func refreshRefused(err error) error {
	if !fault.Is(err, fault.Unauthenticated) {
		return err
	}
	return fault.Wrap(err, fault.Forbidden, fault.ReasonOf(err), "Invalid refresh token.")
}

// accountGone turns the use case's "no such user" on DELETE /users/me into
// the contract's 400 "User not found in database".
func accountGone(err error) error {
	if !fault.Is(err, fault.NotFound) {
		return err
	}
	return fault.Wrap(err, fault.Invalid, fault.ReasonOf(err), "User not found in database.")
}

// registerFault speaks of a refused registration in the contract's words:
// the account's login is its username, and a taken handle is "User with
// this email or username already exists".
func registerFault(err error) error {
	switch fault.ReasonOf(err) {
	case "identity.login_taken":
		return fault.Wrap(err, fault.Conflict, "identity.login_taken", "User with this username already exists.")
	case "identity.email_taken":
		return fault.Wrap(err, fault.Conflict, "identity.email_taken", "User with this email already exists.")
	}
	return httpapi.RenameField(err, "login", "username")
}

// linkFault speaks of a refused link change in the contract's words.
func linkFault(err error) error {
	switch fault.ReasonOf(err) {
	case links.ReasonAliasTaken:
		return fault.Wrap(err, fault.Conflict, links.ReasonAliasTaken, "URL with this alias already exists.")
	case links.ReasonNotOwner:
		return fault.Wrap(err, fault.Forbidden, links.ReasonNotOwner, "Forbidden. You are not owner of this URL.")
	case links.ReasonNotFound:
		return fault.Wrap(err, fault.NotFound, links.ReasonNotFound, "URL not found.")
	}
	return err
}
