package identity

// ValidateEmailOn is ValidateEmail for a request whose field has another
// name ("recipient", "email"): the fault.Invalid names that field.
func ValidateEmailOn(field, email string) error {
	return validateEmail(field, email)
}
