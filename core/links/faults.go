package links

import "gatehouse/core/fault"

// The stable reasons of link faults, as the ports document them.
const (
	ReasonNotFound   = "links.not_found"
	ReasonGone       = "links.gone"
	ReasonAliasTaken = "links.alias_taken"
	ReasonIDTaken    = "links.id_taken"
	ReasonNotOwner   = "links.not_owner"
)

// NotFound is the fault for an unknown link ID or alias.
func NotFound() error {
	return fault.New(fault.NotFound, ReasonNotFound, "Link not found.")
}

// Gone is the fault for a link that expired or used up its redirects. It is
// a NotFound (the link no longer leads anywhere) with its own reason, so a
// frontend can answer 410 Gone instead of 404.
func Gone() error {
	return fault.New(fault.Gone, ReasonGone, "This link is gone: it has expired or reached its visit limit.")
}

// AliasTaken is the fault for an alias another link already has.
func AliasTaken() error {
	return fault.New(fault.Conflict, ReasonAliasTaken, "URL with this alias already exists.")
}

// IDTaken is the fault for a link ID already in use.
func IDTaken() error {
	return fault.New(fault.Conflict, ReasonIDTaken, "A link with this ID already exists.")
}

// NotOwner is the fault for a change to someone else's link.
func NotOwner() error {
	return fault.New(fault.Forbidden, ReasonNotOwner, "This link belongs to another user.")
}

// invalid is a fault.Invalid on one field with a human message.
func invalid(field, rule, msg string) error {
	return fault.Invalidf(field, rule, "%s", msg)
}
