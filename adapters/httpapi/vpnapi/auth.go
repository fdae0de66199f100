package vpnapi

import (
	"net/http"
	"strconv"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/core/vpn"
	"gatehouse/ports"
)

// loginRequest is the body of POST /api/login.
type loginRequest struct {
	Email      string     `json:"email"`
	Password   string     `json:"password"`
	DeviceID   flexString `json:"device_id"`
	DeviceName string     `json:"device_name"`
}

// loginResponse is the document's answer: the token and the server's id of
// the device, a decimal string as in the example ("12345").
type loginResponse struct {
	Token    string `json:"token"`
	DeviceID string `json:"device_id"`
}

// messageResponse is a bare {"message"} answer.
type messageResponse struct {
	Message string `json:"message"`
}

// login checks the password, registers the device within the
// subscription's device limit and starts an opaque session on it.
func (a *API) login(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		errs.Write(w, r, err)
		return
	}
	if err := required(field{"email", req.Email}, field{"password", req.Password}, field{"device_id", string(req.DeviceID)}); err != nil {
		errs.Write(w, r, err)
		return
	}
	u, err := a.accounts.Authenticate(r.Context(), ports.Credentials{Handle: req.Email, Password: req.Password, IP: httpapi.ClientIP(r)})
	if err != nil {
		loginErrs.Write(w, r, err)
		return
	}
	dev, err := a.vpn.RegisterDevice(r.Context(), u.ID, string(req.DeviceID), req.DeviceName)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	// The session's device is the VPN device's, so removing the device
	// signs the app out there.
	info := httpapi.DeviceOf(r, dev.Name)
	info.ServerID = vpn.SessionDeviceID(dev.ID)
	tok, err := a.sessions.StartOpaque(r.Context(), u.ID, info)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	// A body carrying a token must never be cached.
	w.Header().Set("Cache-Control", "no-store, private")
	httpapi.WriteJSON(w, http.StatusOK, loginResponse{Token: tok.Token, DeviceID: strconv.FormatInt(dev.ID, 10)})
}

// logout ends the session of the presented token; the device stays
// registered (removing it is DELETE /api/vpn/devices/{id}).
func (a *API) logout(w http.ResponseWriter, r *http.Request) {
	claims, err := a.authenticate(r)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	if err := a.sessions.EndSession(r.Context(), claims.SessionID); err != nil {
		errs.Write(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, messageResponse{Message: msgLoggedOut})
}

// authenticate checks the request's bearer token (Authorization: Bearer
// <token>) and returns its session. Every refusal is fault.Unauthenticated,
// which this contract answers with the document's 401.
func (a *API) authenticate(r *http.Request) (sessions.Claims, error) {
	token, ok := httpapi.BearerToken(r)
	if !ok {
		return sessions.Claims{}, fault.New(fault.Unauthenticated, "vpnapi.token_missing",
			"Authorization: Bearer <token> is required.")
	}
	return a.sessions.VerifyOpaque(r.Context(), token)
}
