package shortener

import (
	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/core/links"
)

// errs is contract 002's error shape: the generic body
// {"error":{code, reason, message, fields}} and statuses, the document's
// where it names them (the use cases' faults are reworded below).
var errs = httpapi.ErrorShape{}

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
	case identity.ReasonLoginTaken:
		return fault.Wrap(err, fault.Conflict, identity.ReasonLoginTaken, "User with this username already exists.")
	case identity.ReasonEmailTaken:
		return fault.Wrap(err, fault.Conflict, identity.ReasonEmailTaken, "User with this email already exists.")
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
