package vpnapi

import (
	"context"
	"net/http"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/core/vpn"
)

// extensionResource is what GET /api/subscription shows the browser
// extension: who is signed in and whether the VPN may be used.
type extensionResource struct {
	ID           int64                `json:"id"`
	Name         string               `json:"name"`
	Email        *string              `json:"email"`
	Subscription subscriptionResource `json:"subscription"`
}

// appResource is what GET /api/userApp shows the app: the same with the
// user's devices, so the app can offer to free a slot.
type appResource struct {
	extensionResource
	Devices []deviceResource `json:"devices"`
}

// user shows the signed-in user.
func (a *API) user(w http.ResponseWriter, r *http.Request) {
	u, ok := a.signedIn(w, r)
	if !ok {
		return
	}
	writeData(w, http.StatusOK, newUserResource(u))
}

// subscription shows the user and the subscription, for the extension.
func (a *API) subscription(w http.ResponseWriter, r *http.Request) {
	u, ok := a.signedIn(w, r)
	if !ok {
		return
	}
	res, _, err := a.userInfo(r.Context(), u)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	writeData(w, http.StatusOK, res)
}

// userApp shows the user, the subscription and the devices, for the app.
func (a *API) userApp(w http.ResponseWriter, r *http.Request) {
	u, ok := a.signedIn(w, r)
	if !ok {
		return
	}
	res, devices, err := a.userInfo(r.Context(), u)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	writeData(w, http.StatusOK, appResource{extensionResource: res, Devices: newDeviceResources(devices)})
}

// userInfo gathers the user's subscription, devices and keys.
func (a *API) userInfo(ctx context.Context, u identity.User) (extensionResource, []vpn.Device, error) {
	sub, err := a.vpn.Subscription(ctx, u.ID)
	has := err == nil
	if err != nil && !fault.Is(err, fault.NotFound) {
		return extensionResource{}, nil, err
	}
	devices, err := a.vpn.Devices(ctx, u.ID)
	if err != nil {
		return extensionResource{}, nil, err
	}
	keys, err := a.vpn.Keys(ctx, u.ID)
	if err != nil {
		return extensionResource{}, nil, err
	}
	ur := newUserResource(u)
	return extensionResource{
		ID: ur.ID, Name: ur.Name, Email: ur.Email,
		Subscription: newSubscriptionResource(sub, has, len(devices), keys, a.clock.Now()),
	}, devices, nil
}

// signedIn authenticates the request and loads its user; on failure it has
// answered and reports false. A session whose account is gone is
// unauthenticated, as Laravel's guard finds no user for it.
func (a *API) signedIn(w http.ResponseWriter, r *http.Request) (identity.User, bool) {
	claims, err := a.authenticate(r)
	if err != nil {
		errs.Write(w, r, err)
		return identity.User{}, false
	}
	u, err := a.accounts.Profile(r.Context(), claims.Subject)
	if fault.Is(err, fault.NotFound) {
		err = fault.Wrap(err, fault.Unauthenticated, "vpnapi.user_gone", msgUnauthenticated)
	}
	if err != nil {
		errs.Write(w, r, err)
		return identity.User{}, false
	}
	return u, true
}
