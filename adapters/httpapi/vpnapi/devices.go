package vpnapi

import (
	"net/http"
	"strconv"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/vpn"
)

// devices lists the signed-in user's devices, oldest first.
func (a *API) devices(w http.ResponseWriter, r *http.Request) {
	claims, err := a.authenticate(r)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	list, err := a.vpn.Devices(r.Context(), claims.Subject)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	writeData(w, http.StatusOK, newDeviceResources(list))
}

// removeDevice removes one of the user's own devices: its keys are revoked
// at their servers and its slot is freed. Sessions signed in on it stay
// until they log out or expire; they can no longer get keys for it.
func (a *API) removeDevice(w http.ResponseWriter, r *http.Request) {
	claims, err := a.authenticate(r)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	id, err := strconv.ParseInt(httpapi.Vars(r)["device_id"], 10, 64)
	if err != nil {
		// The route admits digits only; too many of them name no device.
		errs.Write(w, r, vpn.DeviceNotFound())
		return
	}
	if err := a.vpn.RemoveDevice(r.Context(), claims.Subject, id); err != nil {
		errs.Write(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
