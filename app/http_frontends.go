package app

import (
	"go.uber.org/fx"

	"gatehouse/adapters/httpapi"
	"gatehouse/adapters/httpapi/account"
	"gatehouse/adapters/httpapi/authv1"
	"gatehouse/adapters/httpapi/shortener"
	"gatehouse/adapters/httpapi/vpnapi"
	"gatehouse/config"
	"gatehouse/ports"
)

// frontendsModule mounts the HTTP contracts switched on in cfg.Frontends.
func frontendsModule(cfg config.Config) fx.Option {
	var opts []fx.Option
	mount := func(constructor any) {
		opts = append(opts, fx.Provide(fx.Annotate(constructor, fx.ResultTags(`group:"mounts"`))))
	}
	mountAll := func(constructor any) {
		opts = append(opts, fx.Provide(fx.Annotate(constructor, fx.ResultTags(`group:"mounts,flatten"`))))
	}
	if cfg.Frontends.AuthV1.Enabled {
		mount(newAuthV1)
	}
	if cfg.Frontends.Account.Enabled {
		mount(newAccount)
	}
	if cfg.Frontends.Shortener.Enabled {
		mountAll(newShortener)
	}
	if cfg.Frontends.VPNAPI.Enabled {
		mount(newVPNAPI)
	}
	if cfg.Frontends.Felmee.Enabled {
		mount(newFelmee)
	}
	return fx.Module("frontends", opts...)
}

func newAuthV1(cfg config.Config, build Build, accounts ports.Accounts, profiles ports.Profiles, recovery ports.Recovery,
	sessions ports.Sessions, signer ports.TokenSigner) (httpapi.Mounter, error) {
	return authv1.New(authv1.Options{
		Version: build.Version,
		Commit:  build.Commit,
		Prefix:  cfg.Frontends.AuthV1.Prefix,
	}, accounts, profiles, recovery, sessions, signer)
}

func newAccount(cfg config.Config, accounts ports.Accounts, profiles ports.Profiles, sessions ports.Sessions) (httpapi.Mounter, error) {
	return account.New(account.Options{Prefix: cfg.Frontends.Account.Prefix}, accounts, profiles, sessions)
}

// newShortener mounts contract 002's API and, apart, its redirects.
func newShortener(cfg config.Config, accounts ports.Accounts, profiles ports.Profiles, sessions ports.Sessions, links ports.Links) ([]httpapi.Mounter, error) {
	o := shortener.Options{
		Prefix:          cfg.Frontends.Shortener.Prefix,
		RedirectPrefix:  cfg.Links.RedirectPrefix,
		RedirectStatus:  cfg.Links.RedirectStatus,
		PublicURL:       cfg.BaseURL(),
		InsecureCookies: cfg.Dev,
		RefreshTTL:      cfg.Tokens.RefreshTTL,
	}
	api, err := shortener.New(o, accounts, profiles, sessions, links)
	if err != nil {
		return nil, err
	}
	return []httpapi.Mounter{api, api.Redirects()}, nil
}

func newVPNAPI(cfg config.Config, accounts ports.Accounts, sessions ports.Sessions, vpn ports.VPN, clock ports.Clock) (httpapi.Mounter, error) {
	o := vpnapi.Options{
		Prefix:      cfg.Frontends.VPNAPI.Prefix,
		PublicURL:   cfg.PublicURL, // empty: the request's host, as clients reached it
		AgentSecret: cfg.VPN.AgentSecret,
	}
	return vpnapi.New(o, accounts, sessions, vpn, clock)
}
