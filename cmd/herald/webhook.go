package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/monitor"
	"github.com/herald-gov/herald/internal/notify"
	"github.com/herald-gov/herald/internal/outbound"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/webhook"
)

// newWebhooks builds the webhook service on the guarded outbound client.
// Without a secret key, which seals the endpoints' signing secrets, it
// lists but cannot register endpoints (and none can exist to deliver to).
// The keys were checked by parseConfig.
func newWebhooks(c *Config, st *store.Store, n *notify.Notifier, log *slog.Logger) *webhook.Service {
	key, _ := monitor.ParseKey(c.SecretKey)
	previous, _ := monitor.ParseKeys(c.SecretKeyPrevious)
	allow, _ := c.Outbound()
	return webhook.New(webhook.Options{Store: st, Key: key, PreviousKeys: previous, Notify: n, Log: log,
		Client: outbound.NewClient(outbound.Options{Allow: allow, Timeout: webhook.DefaultTimeout})})
}

// webhookFlags are the flags every webhook command takes.
func webhookFlags(name string, env Env, c *Config) *flag.FlagSet {
	fs := newFlags(name, env)
	dbFlag(fs, env, &c.DatabaseURL)
	fs.StringVar(&c.SecretKey, "secret-key", env.Getenv("HERALD_SECRET_KEY"),
		"32-byte key, hex or base64, that seals endpoint secrets (env HERALD_SECRET_KEY)")
	previousKeysFlag(fs, env, &c.SecretKeyPrevious)
	outboundFlag(fs, env, &c.OutboundAllow)
	return fs
}

// openWebhooks checks the keys, opens the database and builds the service.
func openWebhooks(ctx context.Context, c *Config) (*webhook.Service, *store.Store, error) {
	if c.SecretKey == "" {
		return nil, nil, usageError("--secret-key (or HERALD_SECRET_KEY) is required: it seals the endpoints' signing secrets")
	}
	if _, err := monitor.ParseKey(c.SecretKey); err != nil {
		return nil, nil, usageError("--secret-key: %v", err)
	}
	if _, err := monitor.ParseKeys(c.SecretKeyPrevious); err != nil {
		return nil, nil, usageError("--secret-key-previous: %v", err)
	}
	if _, err := c.Outbound(); err != nil {
		return nil, nil, usageError("--outbound-allow: %v", err)
	}
	st, err := openStore(ctx, c.DatabaseURL)
	if err != nil {
		return nil, nil, err
	}
	return newWebhooks(c, st, nil, nil), st, nil
}

// runWebhookAdd registers an endpoint and prints its signing secret, once.
func runWebhookAdd(ctx context.Context, env Env, args []string) error {
	c := &Config{}
	fs := webhookFlags("webhook add", env, c)
	url := fs.String("url", "", "the receiver's URL, https (required)")
	owner := fs.String("owner", "", "e-mail of the user told when the endpoint is disabled (required)")
	events := fs.String("events", "", "event types, comma-separated; default: all of "+strings.Join(model.EventTypes, ", "))
	desc := fs.String("description", "", "what the endpoint is for")
	if help, err := parseFlags(fs, args, 0); help || err != nil {
		return err
	}
	if *url == "" || *owner == "" {
		return usageError("--url and --owner are required")
	}
	svc, st, err := openWebhooks(ctx, c)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.UserByEmail(ctx, *owner)
	if errs.Is(err, errs.NotFound) {
		return usageError("no user with e-mail %s", *owner)
	} else if err != nil {
		return err
	}
	var types []string
	for t := range strings.SplitSeq(*events, ",") {
		if t = strings.TrimSpace(t); t != "" {
			types = append(types, t)
		}
	}
	allow, _ := c.Outbound()
	check := func(raw string) error { _, err := outbound.CheckURL(raw, allow); return err }
	ep, secret, err := svc.AddEndpoint(ctx, cliActor, check,
		webhook.NewEndpoint{URL: *url, Description: *desc, EventTypes: types, OwnerID: u.ID})
	if errs.Is(err, errs.Invalid) {
		return usageError("%s", errs.Of(err).Message)
	} else if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "endpoint %d: %s\nevents: %s\nsigning secret: %s\n"+
		"The secret is shown only now; give it to the receiver to verify the webhook-signature header.\n",
		ep.ID, ep.URL, strings.Join(ep.EventTypes, " "), secret)
	return nil
}

// runWebhookList lists the endpoints, or one endpoint's deliveries with
// their attempts.
func runWebhookList(ctx context.Context, env Env, args []string) error {
	c := &Config{}
	fs := webhookFlags("webhook list", env, c)
	endpoint := fs.Int64("endpoint", 0, "list this endpoint's latest deliveries and their attempts instead")
	limit := fs.Int("limit", 20, "deliveries to list")
	if help, err := parseFlags(fs, args, 0); help || err != nil {
		return err
	}
	svc, st, err := openWebhooks(ctx, c)
	if err != nil {
		return err
	}
	defer st.Close()
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	defer tw.Flush()
	when := func(t *time.Time) string {
		if t == nil {
			return "-"
		}
		return t.UTC().Format(time.RFC3339)
	}
	if *endpoint == 0 {
		eps, err := svc.Endpoints(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(tw, "ID\tENABLED\tURL\tOWNER\tFAILING SINCE\tEVENTS\tDISABLED BECAUSE")
		for _, ep := range eps {
			fmt.Fprintf(tw, "%d\t%v\t%s\t%s\t%s\t%s\t%s\n", ep.ID, ep.Enabled, ep.URL, ep.OwnerEmail,
				when(ep.FailingSince), strings.Join(ep.EventTypes, ","), ep.DisabledReason)
		}
		return nil
	}
	ds, err := svc.Deliveries(ctx, *endpoint, "", *limit)
	if err != nil {
		return err
	}
	fmt.Fprintln(tw, "DELIVERY\tMESSAGE\tTYPE\tSTATE\tATTEMPT\tAT\tSTATUS\tMS\tERROR")
	for _, d := range ds {
		log, err := svc.Attempts(ctx, d.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t\t\t\t\tnext %s\n", d.ID, d.MessageID, d.Type, d.State, when(d.NextAttemptAt))
		for _, a := range log {
			fmt.Fprintf(tw, "\t\t\t\t%d\t%s\t%d\t%d\t%s\n", a.Attempt, a.At.UTC().Format(time.RFC3339), a.StatusCode,
				a.Duration.Milliseconds(), a.Error)
		}
	}
	return nil
}

// runWebhookRedeliver makes deliveries due again; herald serve sends them.
func runWebhookRedeliver(ctx context.Context, env Env, args []string) error {
	c := &Config{}
	fs := webhookFlags("webhook redeliver", env, c)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: herald webhook redeliver [flags] DELIVERY_ID...\n\nFlags:\n")
		fs.PrintDefaults()
	}
	ids, help, err := parseInterspersed(fs, args)
	if help || err != nil {
		return err
	}
	if len(ids) == 0 {
		return usageError("give the id of a delivery (herald webhook list --endpoint ID shows them)")
	}
	svc, st, err := openWebhooks(ctx, c)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, s := range ids {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return usageError("%q is not a delivery id", s)
		}
		if err := svc.Redeliver(ctx, cliActor, id); errs.Is(err, errs.NotFound) {
			return usageError("no delivery %d", id)
		} else if errs.Is(err, errs.Invalid) {
			return usageError("%s", errs.Of(err).Message)
		} else if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "delivery %d will be sent again by herald serve\n", id)
	}
	return nil
}
