// Command etcd runs a single-member etcd on loopback for the real-API-server tier
// (tests/apiserver/run.sh): the released server library (go.etcd.io/etcd/server/v3/embed)
// behind a few flags, so the tier needs no etcd binary from outside the module proxy.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
)

func main() {
	dir := flag.String("data-dir", "", "data directory (required)")
	client := flag.String("client-url", "http://127.0.0.1:2379", "URL clients connect to")
	peer := flag.String("peer-url", "http://127.0.0.1:2380", "URL of the (only) peer")
	flag.Parse()
	if err := run(*dir, *client, *peer); err != nil {
		log.Fatalf("etcd: %v", err)
	}
}

func run(dir, client, peer string) error {
	if dir == "" {
		return fmt.Errorf("-data-dir is required")
	}
	cu, err := url.Parse(client)
	if err != nil {
		return fmt.Errorf("parse -client-url %q: %w", client, err)
	}
	pu, err := url.Parse(peer)
	if err != nil {
		return fmt.Errorf("parse -peer-url %q: %w", peer, err)
	}
	cfg := embed.NewConfig()
	cfg.Name = "tier2"
	cfg.Dir = dir
	cfg.LogLevel = "error"
	cfg.ListenClientUrls = []url.URL{*cu}
	cfg.AdvertiseClientUrls = []url.URL{*cu}
	cfg.ListenPeerUrls = []url.URL{*pu}
	cfg.AdvertisePeerUrls = []url.URL{*pu}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return fmt.Errorf("start: %w", err)
	}
	defer e.Close()
	select {
	case <-e.Server.ReadyNotify():
		log.Printf("etcd: serving %s", client)
	case <-time.After(60 * time.Second):
		e.Server.Stop()
		return fmt.Errorf("not ready after 60 s")
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	select {
	case err := <-e.Err():
		return fmt.Errorf("serve: %w", err)
	case <-stop:
		return nil
	}
}
