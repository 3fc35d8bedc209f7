// Command prices refreshes the price table the cost estimate reads (cost/prices/<region>.json)
// from the Azure Retail Prices API, which is public and needs no login. Run it from the
// repository root on a machine with internet access, then review and commit the file:
//
//	go run ./cmd/prices -region japaneast
//
// Every item whose meter the API lists gets today's pay-as-you-go USD price, the date and
// confirmed: true; every other item keeps its price, confirmed: false, and a note saying why.
// A region without a table starts from the japaneast one, so every item is looked up there.
// The exchange rate is not in the API: pass -usd-to-jpy to update it (Azure bills JPY at the
// previous month-end rate).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/example/wordpress-aks/cost"
)

// templateRegion seeds the items of a region that has no table yet.
const templateRegion = "japaneast"

func main() {
	if err := run(os.Args[1:], os.Stdout, time.Now()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer, now time.Time) error {
	flags := flag.NewFlagSet("prices", flag.ContinueOnError)
	region := flags.String("region", "", "ARM region name, e.g. japaneast (required)")
	out := flags.String("out", "", "table file to write (default cost/prices/<region>.json)")
	api := flags.String("api", cost.RetailPricesURL, "Retail Prices API endpoint")
	rate := flags.Float64("usd-to-jpy", 0, "set the USD to JPY rate, dated today (default: keep the table's)")
	timeout := flags.Duration("timeout", 5*time.Minute, "give up after this long")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *region == "" {
		flags.Usage()
		return errors.New("prices: -region is required")
	}
	if *out == "" {
		*out = filepath.Join("cost", "prices", *region+".json")
	}
	seed, err := readSeed(stdout, *out, *region)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	today := now.UTC().Format(time.DateOnly)
	client := cost.RetailClient{BaseURL: *api, HTTP: &http.Client{Timeout: time.Minute}}
	table, results, err := cost.Refresh(ctx, client, seed, *region, today)
	if err != nil {
		return fmt.Errorf("prices %s: %w (nothing written)", *region, err)
	}
	if *rate > 0 {
		table.USDToJPY = cost.Rate{Rate: *rate, Date: today, Source: "set with cmd/prices -usd-to-jpy"}
	}
	b, err := cost.MarshalTable(table)
	if err != nil {
		return fmt.Errorf("prices %s: %w", *region, err)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		return fmt.Errorf("write price table: %w", err)
	}
	found := 0
	for _, r := range results {
		switch {
		case !r.Found:
			fmt.Fprintf(stdout, "kept     %-36s %10v  %s\n", r.Key, r.OldUSD, r.Reason)
		case r.OldUSD != r.NewUSD:
			fmt.Fprintf(stdout, "changed  %-36s %10v -> %v\n", r.Key, r.OldUSD, r.NewUSD)
		default:
			fmt.Fprintf(stdout, "same     %-36s %10v\n", r.Key, r.NewUSD)
		}
		if r.Found {
			found++
		}
	}
	fmt.Fprintf(stdout, "%s: %d of %d prices from the Retail Prices API on %s; the rest kept and marked unconfirmed\n", *out, found, len(results), today)
	return nil
}

// readSeed is the table being refreshed: the file on disk when it exists (it may hold items
// added since the binary was built), else the template region's.
func readSeed(stdout io.Writer, path, region string) (cost.Table, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		t, err := cost.ParseTable(b)
		if err != nil {
			return cost.Table{}, fmt.Errorf("%s: %w", path, err)
		}
		return t, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return cost.Table{}, fmt.Errorf("read price table: %w", err)
	}
	t, err := cost.LoadTable(templateRegion)
	if err != nil {
		return cost.Table{}, err
	}
	fmt.Fprintf(stdout, "%s does not exist: starting from the %s table\n", path, templateRegion)
	return t, nil
}
