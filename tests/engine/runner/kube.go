package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os/exec"
	"sort"
	"strings"
	"time"
)

// liveObject is an object as the API server has it.
type liveObject struct {
	Kind, Namespace, Name, UID string
	// Version is what changes when someone other than a controller writing status changes
	// the object: its generation (spec changes) where it has one, and the managedFields
	// entries of the Pulumi provider's field manager (any field it applies).
	Version string
	Raw     map[string]any
}

func (o liveObject) id() string {
	if o.Namespace == "" {
		return o.Kind + "/" + o.Name
	}
	return o.Kind + "/" + o.Namespace + "/" + o.Name
}

// kubectl runs kubectl with the tier's kubeconfig.
func (s *stackRun) kubectl(ctx context.Context, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, s.t.kubectl, args...)
	cmd.Env = append(cmd.Environ(), "KUBECONFIG="+s.kubeconfigPath())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("kubectl %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// live lists every object of the given kinds ("Deployment.apps", "Service") on the server, by uid.
func (s *stackRun) live(ctx context.Context, kinds []string) (map[string]liveObject, error) {
	out := map[string]liveObject{}
	if len(kinds) == 0 {
		return out, nil
	}
	raw, err := s.kubectl(ctx, "get", strings.Join(kinds, ","), "--all-namespaces", "-o", "json")
	if err != nil {
		return nil, err
	}
	var list struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("decode kubectl output: %w", err)
	}
	for _, it := range list.Items {
		md, _ := it["metadata"].(map[string]any)
		o := liveObject{Kind: str(it["kind"]), Namespace: str(md["namespace"]), Name: str(md["name"]), UID: str(md["uid"]), Raw: it}
		var pulumiFields []any
		mf, _ := md["managedFields"].([]any)
		for _, f := range mf {
			if m, ok := f.(map[string]any); ok && strings.HasPrefix(str(m["manager"]), "pulumi") {
				pulumiFields = append(pulumiFields, m)
			}
		}
		fp, _ := json.Marshal(pulumiFields)
		sum := sha256.Sum256(fp)
		o.Version = "pulumi's fields " + hex.EncodeToString(sum[:4])
		if g, ok := md["generation"].(float64); ok {
			o.Version = fmt.Sprintf("generation %d, %s", int(g), o.Version)
		}
		out[o.UID] = o
	}
	return out, nil
}

// kindsOf returns kubectl's resource names for the kinds of the given state objects.
func kindsOf(rs []stateResource) []string {
	set := map[string]bool{}
	for _, r := range rs {
		set[kubectlKind(r)] = true
	}
	var out []string
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// kubectlKind turns "kubernetes:apps/v1:Deployment" into "Deployment.apps", and
// "kubernetes:core/v1:Service" into "Service".
func kubectlKind(r stateResource) string {
	parts := strings.Split(r.Type, ":")
	if len(parts) != 3 {
		return r.Type
	}
	group := strings.Split(parts[1], "/")[0]
	if group == "core" {
		return parts[2]
	}
	return parts[2] + "." + group
}

// stateIdentity is kind/namespace/name and uid of a state object, from its outputs.
func stateIdentity(r stateResource) (id, uid string) {
	md, _ := r.Outputs["metadata"].(map[string]any)
	kind := str(r.Outputs["kind"])
	if ns := str(md["namespace"]); ns != "" {
		return kind + "/" + ns + "/" + str(md["name"]), str(md["uid"])
	}
	return kind + "/" + str(md["name"]), str(md["uid"])
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// waitFor polls cond every half second until it holds or the timeout passes.
func waitFor(ctx context.Context, timeout time.Duration, cond func() (bool, error)) error {
	deadline := time.Now().Add(timeout)
	for {
		ok, err := cond()
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			if err != nil {
				return err
			}
			return fmt.Errorf("not within %s", timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}
