package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
)

// scenarioUp checks that the first up creates every object, and each object of the state is on the
// server under the uid the state recorded.
func (s *stackRun) scenarioUp(ctx context.Context) error {
	started := time.Now()
	o, err := s.up(ctx)
	if err != nil {
		return err
	}
	_, rs, err := s.state(ctx)
	if err != nil {
		return err
	}
	changed := o.changed()
	notCreate := map[string]bool{}
	for urn, op := range changed {
		if op != string(apitype.OpCreate) {
			notCreate[urn+" ("+op+")"] = true
		}
	}
	objs := kubeObjects(rs)
	s.t.check(len(notCreate) == 0 && len(changed) == len(rs),
		"%s: up creates every resource (%d in %s, the stack itself included; %d Kubernetes objects): ops other than create: [%s]; in state %d",
		s.label, len(changed), time.Since(started).Round(time.Second), len(objs), joinSorted(notCreate), len(rs))
	s.checkLive(ctx, rs, "after the first up")
	s.checkIngressClasses(ctx)
	return nil
}

// checkLive checks that every Kubernetes object of the state is on the server with its uid.
func (s *stackRun) checkLive(ctx context.Context, rs []stateResource, when string) map[string]liveObject {
	objs := kubeObjects(rs)
	live, err := s.live(ctx, kindsOf(objs))
	if err != nil {
		s.t.check(false, "%s: list objects %s: %v", s.label, when, err)
		return nil
	}
	missing := map[string]bool{}
	for _, r := range objs {
		id, uid := stateIdentity(r)
		if l, ok := live[uid]; !ok || l.id() != id {
			missing[id] = true
		}
	}
	s.t.check(len(missing) == 0, "%s: every one of the state's %d Kubernetes objects is on the API server under the state's uid %s; missing: [%s]",
		s.label, len(objs), when, joinSorted(missing))
	return live
}

// checkIngressClasses: the class each Ingress names exists, made by the (stand-in) chart from
// the program's values.
func (s *stackRun) checkIngressClasses(ctx context.Context) {
	raw, err := s.kubectl(ctx, "get", "ingressclasses,ingresses", "--all-namespaces", "-o", "json")
	if err != nil {
		s.t.check(false, "%s: list ingresses: %v", s.label, err)
		return
	}
	var list struct {
		Items []struct {
			Kind     string `json:"kind"`
			Metadata struct{ Name, Namespace string }
			Spec     struct {
				IngressClassName string `json:"ingressClassName"`
				Controller       string `json:"controller"`
			} `json:"spec"`
		} `json:"items"`
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		s.t.check(false, "%s: decode ingresses: %v", s.label, err)
		return
	}
	classes := map[string]string{}
	for _, it := range list.Items {
		if it.Kind == "IngressClass" {
			classes[it.Metadata.Name] = it.Spec.Controller
		}
	}
	bad := map[string]bool{}
	n := 0
	for _, it := range list.Items {
		if it.Kind != "Ingress" {
			continue
		}
		n++
		if _, ok := classes[it.Spec.IngressClassName]; !ok {
			bad[it.Metadata.Namespace+"/"+it.Metadata.Name+" names "+it.Spec.IngressClassName] = true
		}
	}
	s.t.check(n > 0 && len(bad) == 0, "%s: the %d Ingresses name an IngressClass the Release installed (%v); unmatched: [%s]", s.label, n, classes, joinSorted(bad))
}

// scenarioQuietPreview checks that a preview of an unchanged stack shows no change, as a pull
// request that changes nothing must.
func (s *stackRun) scenarioQuietPreview(ctx context.Context, when string) error {
	o, summary, err := s.preview(ctx)
	if err != nil {
		return err
	}
	changed := o.changed()
	var lines []string
	for urn, op := range changed {
		lines = append(lines, op+" "+urn)
	}
	sort.Strings(lines)
	other := map[string]bool{}
	for op, n := range summary {
		if op != apitype.OpSame && n > 0 {
			other[fmt.Sprintf("%s: %d", op, n)] = true
		}
	}
	s.t.check(len(changed) == 0 && len(other) == 0 && summary[apitype.OpSame] > 0,
		"%s: preview %s shows no changes (%d same; changes: [%s])", s.label, when, summary[apitype.OpSame], strings.Join(lines, "; ")+joinSorted(other))
	return nil
}

// snapshot is the server's objects of the state's kinds, before a change.
func (s *stackRun) snapshot(ctx context.Context) (map[string]liveObject, error) {
	_, rs, err := s.state(ctx)
	if err != nil {
		return nil, err
	}
	// Controllers finish writing status first (PersistentVolume binding, Deployment conditions),
	// so that only the update itself can move a version.
	kinds := kindsOf(kubeObjects(rs))
	var before map[string]liveObject
	err = waitFor(ctx, 30*time.Second, func() (bool, error) {
		a, err := s.live(ctx, kinds)
		if err != nil {
			return false, err
		}
		time.Sleep(2 * time.Second)
		b, err := s.live(ctx, kinds)
		if err != nil {
			return false, err
		}
		before = b
		return sameVersions(a, b), nil
	})
	return before, err
}

func sameVersions(a, b map[string]liveObject) bool {
	if len(a) != len(b) {
		return false
	}
	for uid, o := range a {
		if b[uid].Version != o.Version {
			return false
		}
	}
	return true
}

// touched returns the objects of before that the server changed or removed since.
func touched(before, after map[string]liveObject) map[string]bool {
	out := map[string]bool{}
	for uid, o := range before {
		a, ok := after[uid]
		switch {
		case !ok:
			out[o.id()+" gone"] = true
		case a.Version != o.Version:
			out[fmt.Sprintf("%s %s -> %s", o.id(), o.Version, a.Version)] = true
		}
	}
	return out
}

// sites reads the stack's sites list as the engine passes it (JSON).
func (s *stackRun) sites() ([]map[string]any, error) {
	var sites []map[string]any
	if err := json.Unmarshal([]byte(s.src.Values[project+":sites"]), &sites); err != nil {
		return nil, fmt.Errorf("read sites: %w", err)
	}
	return sites, nil
}

func (s *stackRun) setSites(sites []map[string]any) error {
	raw, err := json.Marshal(sites)
	if err != nil {
		return err
	}
	s.setValue("sites", string(raw), false)
	return nil
}

// scenarioAddSite checks that a site added in config creates that site's objects and touches no
// other.
func (s *stackRun) scenarioAddSite(ctx context.Context) error {
	const site = "shop"
	sites, err := s.sites()
	if err != nil {
		return err
	}
	sites = append(sites, map[string]any{
		"name": site, "hosts": []string{"shop.dev.example.com"}, "database": "wp_shop",
		"userReplicas": 1, "adminReplicas": 1,
	})
	if err := s.setSites(sites); err != nil {
		return err
	}
	// A third site does not fit dev's one node per pool (the config's capacity check says
	// so); the pools' size is an Azure setting, so the Kubernetes layer sees no change from it.
	if err := s.twoNodesPerPool(); err != nil {
		return err
	}
	s.addSecrets(site)
	before, err := s.snapshot(ctx)
	if err != nil {
		return err
	}
	o, err := s.up(ctx)
	if err != nil {
		return err
	}
	changed := o.changed()
	foreign := map[string]bool{}
	for urn, op := range changed {
		if op != string(apitype.OpCreate) || !strings.Contains(urn, site) {
			foreign[op+" "+urn] = true
		}
	}
	s.t.check(len(changed) > 0 && len(foreign) == 0,
		"%s: a site added in config: up creates only its resources (%d created, all named for %q); other changes: [%s]",
		s.label, len(changed), site, joinSorted(foreign))
	_, rs, err := s.state(ctx)
	if err != nil {
		return err
	}
	after := s.checkLive(ctx, rs, "after adding a site")
	s.t.check(after != nil && len(touched(before, after)) == 0,
		"%s: adding a site changes no existing object on the server (%d objects compared by generation and Pulumi's managed fields); changed: [%s]",
		s.label, len(before), joinSorted(touched(before, after)))
	return nil
}

// scenarioReplicas checks that one site's user replicas change updates that Deployment and nothing
// else.
func (s *stackRun) scenarioReplicas(ctx context.Context) error {
	sites, err := s.sites()
	if err != nil {
		return err
	}
	site := fmt.Sprint(sites[0]["name"])
	sites[0]["userReplicas"] = 2
	if err := s.setSites(sites); err != nil {
		return err
	}
	o, err := s.up(ctx)
	if err != nil {
		return err
	}
	changed := o.changed()
	_, rs, err := s.state(ctx)
	if err != nil {
		return err
	}
	want := ""
	for _, r := range kubeObjects(rs) {
		if id, _ := stateIdentity(r); id == "Deployment/wp-"+site+"/user" {
			want = r.URN
		}
	}
	s.t.check(want != "" && len(changed) == 1 && changed[want] == string(apitype.OpUpdate),
		"%s: %s's userReplicas 1 -> 2: exactly one update, of Deployment wp-%s/user; engine: %v", s.label, site, site, changed)
	out, err := s.kubectl(ctx, "get", "deployment", "user", "-n", "wp-"+site, "-o", "jsonpath={.spec.replicas}")
	s.t.check(err == nil && string(out) == "2", "%s: the server's Deployment wp-%s/user has 2 replicas (has %q, %v)", s.label, site, out, err)
	return nil
}

// scenarioImage checks that a new image updates exactly the objects that run the image.
func (s *stackRun) scenarioImage(ctx context.Context) error {
	_, rs, err := s.state(ctx)
	if err != nil {
		return err
	}
	old := s.az.image
	expected := map[string]bool{}
	for _, r := range kubeObjects(rs) {
		in, _ := json.Marshal(r.Inputs)
		if strings.Contains(string(in), old) {
			expected[r.URN] = true
		}
	}
	s.az.image = "crenginetest.azurecr.io/wordpress:second"
	o, err := s.up(ctx)
	if err != nil {
		return err
	}
	changed := o.changed()
	var diff []string
	kinds := map[string]int{}
	for urn := range expected {
		if changed[urn] == "" {
			diff = append(diff, "unchanged "+urn)
		}
	}
	for urn, op := range changed {
		if !expected[urn] {
			diff = append(diff, op+" "+urn)
		} else {
			kinds[op]++
		}
	}
	sort.Strings(diff)
	s.t.check(len(expected) > 0 && len(diff) == 0,
		"%s: a new image changes exactly the %d objects that run it (%v); unexpected: [%s]", s.label, len(expected), kinds, strings.Join(diff, "; "))
	_, rs, err = s.state(ctx)
	if err != nil {
		return err
	}
	live := s.checkLive(ctx, rs, "after the image change")
	stale := map[string]bool{}
	for _, l := range live {
		raw, _ := json.Marshal(l.Raw)
		if strings.Contains(string(raw), old) {
			stale[l.id()] = true
		}
	}
	s.t.check(live != nil && len(stale) == 0, "%s: no object on the server runs the old image; still: [%s]", s.label, joinSorted(stale))
	return nil
}

// scenarioNFSPath checks that a new NFS export path forces the PersistentVolumes' replacement
// (their source is immutable); the update succeeds and every site's claim ends up bound to a volume
// on the new path.
func (s *stackRun) scenarioNFSPath(ctx context.Context) error {
	s.az.nfsExportPath = "/srv/nfs/wordpress-moved"
	o, err := s.up(ctx)
	if err != nil {
		return err
	}
	changed := o.changed()
	var lines []string
	for urn, op := range changed {
		lines = append(lines, op+" "+urn[strings.LastIndex(urn, "::")+2:])
	}
	sort.Strings(lines)
	s.t.check(len(changed) > 0, "%s: a new NFS export path: up succeeds; engine: [%s]", s.label, strings.Join(lines, "; "))
	cfg, err := s.config()
	if err != nil {
		return err
	}
	for _, site := range cfg.Sites {
		ns := "wp-" + site.Name
		var got string
		err := waitFor(ctx, 60*time.Second, func() (bool, error) {
			// The claim the pods mount, as their Deployment names it.
			claim, err := s.kubectl(ctx, "get", "deployment", "user", "-n", ns, "-o",
				`jsonpath={.spec.template.spec.volumes[?(@.name=="wp-content")].persistentVolumeClaim.claimName}`)
			if err != nil {
				return false, err
			}
			got = "claim " + string(claim) + ": "
			if len(claim) == 0 {
				return false, nil
			}
			all, err := s.kubectl(ctx, "get", "pvc", "-n", ns, "-o", "name")
			if err != nil {
				return false, err
			}
			if strings.TrimSpace(string(all)) != "persistentvolumeclaim/"+string(claim) {
				got += "the namespace's claims are " + strings.Join(strings.Fields(string(all)), " ")
				return false, nil
			}
			out, err := s.kubectl(ctx, "get", "pvc", string(claim), "-n", ns, "-o", "jsonpath={.status.phase} {.spec.volumeName}")
			if err != nil {
				return false, err
			}
			got += string(out)
			f := strings.Fields(string(out))
			if len(f) != 2 || f[0] != "Bound" {
				return false, nil
			}
			path, err := s.kubectl(ctx, "get", "pv", f[1], "-o", "jsonpath={.spec.nfs.path} {.spec.claimRef.namespace} {.spec.claimRef.name}")
			if err != nil {
				return false, err
			}
			got += " -> " + string(path)
			return string(path) == s.az.nfsExportPath+" "+ns+" "+string(claim), nil
		})
		s.t.check(err == nil, "%s: %s's pods mount its only claim, Bound to a volume on the new path that names it (%s)", s.label, ns, got)
	}
	return nil
}

// scenarioStateSecrets checks that no value the test handed in as a secret is in the state file in
// plain text or base64. (The Automation API's Export decrypts secrets, so the file the backend
// keeps is what is searched: it is what a leaked state bucket would show.)
func (s *stackRun) scenarioStateSecrets(ctx context.Context) error {
	file, err := os.ReadFile(filepath.Join(s.t.work, "state", ".pulumi", "stacks", project, s.name+".json"))
	if err != nil {
		return fmt.Errorf("read the backend's state file: %w", err)
	}
	var dep any
	if err := json.Unmarshal(file, &dep); err != nil {
		return fmt.Errorf("decode the state file: %w", err)
	}
	found := map[string]bool{}
	for what, v := range s.secretValues {
		for _, form := range []string{v, base64.StdEncoding.EncodeToString([]byte(v))} {
			if strings.Contains(string(file), form) {
				found[what+" at "+strings.Join(where(dep, form, "", 2), ", ")] = true
			}
		}
	}
	// The search itself works: a plain value the test handed in (the image) is there, and the
	// secrets are there as ciphertext.
	ciphertexts := strings.Count(string(file), "ciphertext")
	s.t.check(len(found) == 0 && strings.Contains(string(file), s.az.image) && ciphertexts > 0,
		"%s: the state (%d bytes, %d ciphertexts) holds none of the %d secrets handed in, raw or base64; found: [%s]",
		s.label, len(file), ciphertexts, len(s.secretValues), joinSorted(found))
	return nil
}

// scenarioDestroy checks that destroy deletes every object, and the namespaces go.
func (s *stackRun) scenarioDestroy(ctx context.Context) error {
	_, rs, err := s.state(ctx)
	if err != nil {
		return err
	}
	objs := kubeObjects(rs)
	namespaces, uids := map[string]bool{}, map[string]bool{}
	for _, r := range objs {
		_, uid := stateIdentity(r)
		uids[uid] = true
		if r.Type == "kubernetes:core/v1:Namespace" {
			id, _ := stateIdentity(r)
			namespaces[strings.TrimPrefix(id, "Namespace/")] = true
		}
	}
	o, err := s.destroy(ctx)
	if err != nil {
		return err
	}
	notDelete := map[string]bool{}
	for urn, op := range o.changed() {
		if op != string(apitype.OpDelete) {
			notDelete[op+" "+urn] = true
		}
	}
	s.t.check(len(notDelete) == 0 && len(o.changed()) == len(rs), "%s: destroy deletes all %d resources (%d in state); other ops: [%s]", s.label, len(o.changed()), len(rs), joinSorted(notDelete))
	var left map[string]bool
	err = waitFor(ctx, 120*time.Second, func() (bool, error) {
		live, err := s.live(ctx, append(kindsOf(objs), "Namespace", "PersistentVolume", "IngressClass.networking.k8s.io"))
		if err != nil {
			return false, err
		}
		left = map[string]bool{}
		for _, l := range live {
			switch {
			case l.Kind == "Namespace" && namespaces[l.Name]:
				left[l.id()] = true
			case l.Kind == "Namespace":
			// A bare API server has no IngressClass or PersistentVolume of its own: any left
			// is the stack's (the chart's class is not in the state, Helm made it).
			case uids[l.UID] || namespaces[l.Namespace] || l.Kind == "IngressClass" || l.Kind == "PersistentVolume":
				left[l.id()] = true
			}
		}
		return len(left) == 0, nil
	})
	s.t.check(len(left) == 0, "%s: after destroy the server holds none of the stack's objects and its %d namespaces are gone; left: [%s] %v",
		s.label, len(namespaces), joinSorted(left), err)
	if s.letsencrypt {
		// Helm installs a chart's CRDs and never deletes them (and the program asks cert-manager's
		// chart to keep them): the README's teardown section says so, this shows it.
		out, err := s.kubectl(ctx, "get", "crd", "-o", "name")
		kept := strings.Count(string(out), ".cert-manager.io")
		s.t.check(err == nil && kept > 0, "%s: cert-manager's %d CRDs stay after destroy, as the README's teardown section says (%v)", s.label, kept, err)
	}
	return nil
}

// where returns up to max JSON paths of string leaves of v that contain text, the resources
// named by URN, so that a leak says where it is.
func where(v any, text, path string, max int) []string {
	var out []string
	switch x := v.(type) {
	case string:
		if strings.Contains(x, text) {
			out = append(out, path)
		}
	case []any:
		for i, e := range x {
			p := fmt.Sprintf("%s[%d]", path, i)
			if m, ok := e.(map[string]any); ok && str(m["urn"]) != "" {
				p = str(m["urn"])
			}
			out = append(out, where(e, text, p, max-len(out))...)
			if len(out) >= max {
				return out[:max]
			}
		}
	case map[string]any:
		for k, e := range x {
			out = append(out, where(e, text, path+"."+k, max-len(out))...)
			if len(out) >= max {
				return out[:max]
			}
		}
	}
	return out
}
