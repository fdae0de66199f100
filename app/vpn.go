package app

import (
	"io"
	"log/slog"

	"go.uber.org/fx"

	"gatehouse/adapters/outline"
	"gatehouse/adapters/staticvpn"
	"gatehouse/adapters/wireguard"
	"gatehouse/config"
	"gatehouse/core/vpn/vpnsvc"
	"gatehouse/ports"
)

// vpnModule provides the VPN use cases over every provisioner (each server
// names its protocol, and its keys are made by that protocol's
// provisioner). Their periodic jobs, the active-connection refresh and
// the revocation of ended subscriptions' keys, run while the app serves
// (commands beside it leave them to it), each round on the one replica that
// takes its lease in the shared cache.
var vpnModule = fx.Module("vpn",
	fx.Provide(
		newProvisioners,
		newVPN,
		func(s *vpnsvc.Service) ports.VPN { return s },
		fx.Annotate(func(s *vpnsvc.Service) periodic {
			return periodic{name: "vpn active connections", every: s.RefreshEvery(), run: s.RefreshJob}
		}, fx.ResultTags(`group:"periodic"`)),
		fx.Annotate(func(s *vpnsvc.Service) periodic {
			return periodic{name: "vpn ended subscriptions", every: s.SettleEvery(), run: s.SettleJob}
		}, fx.ResultTags(`group:"periodic"`)),
		fx.Annotate(func(s *vpnsvc.Service) ports.UserDeletionHook { return s }, fx.ResultTags(`group:"deletion-hooks"`)),
	),
)

func newVPN(cfg config.Config, store ports.VPNStore, cache ports.Cache, provs ports.Provisioners,
	clock ports.Clock, random io.Reader, sessions ports.Sessions, log *slog.Logger) (*vpnsvc.Service, error) {
	return vpnsvc.New(vpnsvc.Deps{
		Store:              store,
		Cache:              cache,
		Provisioners:       provs,
		Clock:              clock,
		Random:             random,
		Log:                log.With("component", "vpn"),
		DefaultDeviceLimit: cfg.VPN.DefaultDeviceLimit,
		RefreshEvery:       cfg.VPN.RefreshEvery,
		SettleEvery:        cfg.VPN.SettleEvery,
		KeyWait:            cfg.VPN.KeyWait,
		Sessions:           sessions,
	})
}

// newProvisioners is the provisioners keys are made with, one per
// protocol: each server names its protocol, and that protocol's
// provisioner makes its keys.
func newProvisioners(cfg config.Config, store ports.VPNStore, clock ports.Clock) (ports.Provisioners, error) {
	wg, err := wireguard.New(wireguard.Options{Book: store, Clock: clock})
	if err != nil {
		return nil, err
	}
	ol, err := outline.New(outline.Options{Clock: clock, Timeout: cfg.VPN.ProvisionerTimeout})
	if err != nil {
		return nil, err
	}
	return ports.Provisioners{wg, ol, staticvpn.New()}, nil
}
