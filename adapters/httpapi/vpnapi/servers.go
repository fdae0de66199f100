package vpnapi

import (
	"net/http"
	"strconv"

	"gatehouse/adapters/httpapi"
)

// serversRequest is the body of POST /api/servers: the device whose keys
// mark the servers (0 or absent: none).
type serversRequest struct {
	DeviceID flexID `json:"device_id"`
}

// keyRequest is the body of POST /api/key.
type keyRequest struct {
	ServerID flexID `json:"server_id"`
	DeviceID flexID `json:"device_id"`
}

// servers lists the enabled servers with their country, city, ping URL and
// active connections, marking those where the device has a key.
func (a *API) servers(w http.ResponseWriter, r *http.Request) {
	claims, err := a.authenticate(r)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	var req serversRequest
	if err := decodeOptional(r, &req); err != nil {
		errs.Write(w, r, err)
		return
	}
	ref := ""
	if req.DeviceID > 0 {
		ref = strconv.FormatInt(int64(req.DeviceID), 10)
	}
	list, err := a.vpn.Servers(r.Context(), claims.Subject, ref)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	withKey := map[int64]bool{}
	if req.DeviceID > 0 {
		keys, err := a.vpn.Keys(r.Context(), claims.Subject)
		if err != nil {
			errs.Write(w, r, err)
			return
		}
		for _, k := range keys {
			if k.DeviceID == int64(req.DeviceID) {
				withKey[k.ServerID] = true
			}
		}
	}
	out := make([]serverResource, 0, len(list))
	for _, s := range list {
		out = append(out, newServerResource(s, withKey[s.ID]))
	}
	writeData(w, http.StatusOK, out)
}

// key returns the device's key to the server, making it on first request.
func (a *API) key(w http.ResponseWriter, r *http.Request) {
	userID, req, ok := a.keyCall(w, r)
	if !ok {
		return
	}
	k, err := a.vpn.Key(r.Context(), userID, strconv.FormatInt(int64(req.DeviceID), 10), int64(req.ServerID))
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	// Key material is a credential: never cached anywhere.
	w.Header().Set("Cache-Control", "no-store, private")
	writeData(w, http.StatusOK, newKeyResource(k, a.dynamicURL(r, k, "")))
}

// keyQR answers the same key as a PNG QR code a client app scans.
func (a *API) keyQR(w http.ResponseWriter, r *http.Request) {
	userID, req, ok := a.keyCall(w, r)
	if !ok {
		return
	}
	png, err := a.vpn.KeyQR(r.Context(), userID, strconv.FormatInt(int64(req.DeviceID), 10), int64(req.ServerID))
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store, private")
	w.Header().Set("Content-Type", "image/png")
	_, _ = w.Write(png)
}

// keyCall authenticates a key request and decodes its body; on failure it
// has answered and reports false.
func (a *API) keyCall(w http.ResponseWriter, r *http.Request) (string, keyRequest, bool) {
	claims, err := a.authenticate(r)
	if err != nil {
		errs.Write(w, r, err)
		return "", keyRequest{}, false
	}
	var req keyRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		errs.Write(w, r, err)
		return "", keyRequest{}, false
	}
	if err := requiredIDs(idField{"server_id", req.ServerID}, idField{"device_id", req.DeviceID}); err != nil {
		errs.Write(w, r, err)
		return "", keyRequest{}, false
	}
	return claims.Subject, req, true
}
