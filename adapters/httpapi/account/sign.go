package account

import (
	"net/http"
	"strings"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// registrationRequest is the body of POST /account/registration.
type registrationRequest struct {
	Login      string  `json:"login"`
	Password   string  `json:"password"`
	Email      string  `json:"email"`
	FirstName  string  `json:"first_name"`
	LastName   string  `json:"last_name"`
	Patronymic *string `json:"patronymic"` // optional: absent, null or ""
}

// loginRequest is the body of POST /account/login: the password and a
// login or an email.
type loginRequest struct {
	Password string `json:"password"`
	Login    string `json:"login"`
	Email    string `json:"email"`
}

// register creates an account with the contract's field rules and signs it
// in on the caller's device.
func (a *API) register(w http.ResponseWriter, r *http.Request) {
	var req registrationRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		errs.Write(w, r, err)
		return
	}
	err := check(
		required("login", req.Login), required("password", req.Password), required("email", req.Email),
		required("first_name", req.FirstName), required("last_name", req.LastName),
		optional("patronymic", req.Patronymic),
	)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	reg := ports.Registration{
		Login: req.Login, Email: req.Email, Password: req.Password,
		Locale: locale, Source: source,
		FirstName: req.FirstName, LastName: req.LastName,
		IP: httpapi.ClientIP(r),
	}
	if req.Patronymic != nil {
		reg.Patronymic = *req.Patronymic
	}
	u, err := a.accounts.Register(r.Context(), reg)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	a.signIn(w, r, u)
}

// login checks the password for a login or an email and starts a session.
func (a *API) login(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		errs.Write(w, r, err)
		return
	}
	// No format rules here: an account made through another contract may
	// hold a login or a password this contract's rules would refuse.
	handle := req.Login
	if handle == "" {
		handle = req.Email
	}
	var missing []fault.FieldError
	if handle == "" {
		missing = append(missing, fault.FieldError{Field: "login", Rule: "required", Message: "is required unless email is given"})
	}
	if req.Password == "" {
		missing = append(missing, fault.FieldError{Field: "password", Rule: "required", Message: "is required"})
	}
	if err := formError(missing); err != nil {
		errs.Write(w, r, err)
		return
	}
	u, err := a.accounts.Authenticate(r.Context(), ports.Credentials{Handle: handle, Password: req.Password, IP: httpapi.ClientIP(r)})
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	a.signIn(w, r, u)
}

// signIn starts an opaque session for u on the caller's device and answers
// the profile with its token.
func (a *API) signIn(w http.ResponseWriter, r *http.Request, u identity.User) {
	tok, err := a.sessions.StartOpaque(r.Context(), u.ID, httpapi.DeviceOf(r, r.Header.Get("browser")))
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	writeNoStore(w, a.profileOf(r.Context(), u, tok.Token))
}

// loginCheckResponse is the body of GET /account/login/check.
type loginCheckResponse struct {
	Message          string `json:"message"`
	IsLoginAvailable bool   `json:"is_login_available"`
}

// loginCheck tells whether a login may be registered. A login that breaks
// the rules is not available, and the message says which rule.
func (a *API) loginCheck(w http.ResponseWriter, r *http.Request) {
	login := r.URL.Query().Get("login")
	err := check(required("login", login))
	if strings.TrimSpace(login) == "" {
		errs.Write(w, r, err)
		return
	}
	if err != nil {
		httpapi.WriteJSON(w, http.StatusOK, loginCheckResponse{Message: messageOf(err)})
		return
	}
	ok, err := a.profiles.LoginAvailable(r.Context(), login)
	switch {
	case fault.Is(err, fault.Invalid):
		httpapi.WriteJSON(w, http.StatusOK, loginCheckResponse{Message: messageOf(err)})
	case err != nil:
		errs.Write(w, r, err)
	case ok:
		httpapi.WriteJSON(w, http.StatusOK, loginCheckResponse{Message: "Login is available.", IsLoginAvailable: true})
	default:
		httpapi.WriteJSON(w, http.StatusOK, loginCheckResponse{Message: "Login is already taken."})
	}
}

// writeNoStore answers v; a body carrying a token must never be cached.
func writeNoStore(w http.ResponseWriter, v any) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	httpapi.WriteJSON(w, http.StatusOK, v)
}
