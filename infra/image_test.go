package infra

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/example/wordpress-aks/config"
	"github.com/pulumi/pulumi-azure-native-sdk/containerregistry/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// writeTree creates files (path -> content) under a new temporary directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestPackContextHash(t *testing.T) {
	base := map[string]string{"Dockerfile": "FROM x\n", "bin/run": "#!/bin/sh\n", "php/a.ini": "a=1\n"}
	baseHash := func(t *testing.T) string {
		t.Helper()
		_, h, err := packContext(writeTree(t, base))
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	want := baseHash(t)
	tests := []struct {
		name   string
		change func(t *testing.T, dir string)
		same   bool
	}{
		{"same files in another directory", func(t *testing.T, dir string) {}, true},
		{"other modification times", func(t *testing.T, dir string) {
			old := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
			if err := os.Chtimes(filepath.Join(dir, "Dockerfile"), old, old); err != nil {
				t.Fatal(err)
			}
		}, true},
		{"one byte changed", func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, "php/a.ini"), []byte("a=2\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"file mode changed", func(t *testing.T, dir string) {
			if err := os.Chmod(filepath.Join(dir, "bin/run"), 0o755); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"file added", func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, "extra"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"file renamed", func(t *testing.T, dir string) {
			if err := os.Rename(filepath.Join(dir, "php/a.ini"), filepath.Join(dir, "php/b.ini")); err != nil {
				t.Fatal(err)
			}
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeTree(t, base)
			tt.change(t, dir)
			_, got, err := packContext(dir)
			if err != nil {
				t.Fatal(err)
			}
			if (got == want) != tt.same {
				t.Errorf("hash %s, base %s: want same=%v", got, want, tt.same)
			}
		})
	}
}

func TestPackContextArchive(t *testing.T) {
	dir := writeTree(t, map[string]string{"Dockerfile": "FROM x\n", "bin/run": "#!/bin/sh\n"})
	gz, _, err := packContext(dir)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	var names []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if !h.ModTime.IsZero() && h.ModTime.Unix() != 0 || h.Uid != 0 || h.Gid != 0 {
			t.Errorf("%s carries time or owner: %v %d %d", h.Name, h.ModTime, h.Uid, h.Gid)
		}
		names = append(names, h.Name)
	}
	want := []string{"Dockerfile", "bin/", "bin/run"}
	if len(names) != len(want) {
		t.Fatalf("entries %v, want %v", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Errorf("entry %d: %s, want %s", i, names[i], want[i])
		}
	}
}

func TestPackContextRefuses(t *testing.T) {
	dir := writeTree(t, map[string]string{"Dockerfile": "FROM x\n"})
	if err := os.Symlink("Dockerfile", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := packContext(dir); err == nil {
		t.Error("a symlink in the build context was accepted")
	}
	if _, _, err := packContext(t.TempDir()); err == nil {
		t.Error("an empty build context was accepted")
	}
}

func TestCheckRun(t *testing.T) {
	str := func(s string) *string { return &s }
	const urn = "urn:pulumi:dev::wordpress-aks::azure-native:containerregistry:TaskRun::image-build"
	logs := "`az acr task logs --registry wpacr1 --run-id cb7`"
	tests := []struct {
		name string
		run  containerregistry.RunResponse
		// want are parts the error must hold; nil means no error.
		want []string
	}{
		{"succeeded", containerregistry.RunResponse{RunId: str("cb7"), Status: str("Succeeded")}, nil},
		{"failed", containerregistry.RunResponse{RunId: str("cb7"), Status: str("Failed"), RunErrorMessage: "failed during run, err: exit status 1"},
			[]string{"acr run cb7 ended Failed", "not pushed", "exit status 1", logs, "pulumi up --replace '" + urn + "'"}},
		{"timed out", containerregistry.RunResponse{RunId: str("cb7"), Status: str("Timeout")}, []string{"ended Timeout", logs}},
		{"canceled", containerregistry.RunResponse{RunId: str("cb7"), Status: str("Canceled")}, []string{"ended Canceled", logs}},
		{"error", containerregistry.RunResponse{RunId: str("cb7"), Status: str("Error")}, []string{"ended Error", logs}},
		// The provider returned before the run finished: the tag may not exist yet.
		{"still running", containerregistry.RunResponse{RunId: str("cb7"), Status: str("Running")}, []string{"still Running", logs, "pulumi refresh"}},
		{"queued", containerregistry.RunResponse{RunId: str("cb7"), Status: str("Queued")}, []string{"still Queued", logs}},
		{"no status", containerregistry.RunResponse{RunId: str("cb7")}, []string{"no status", logs, "pulumi refresh"}},
		{"no run at all", containerregistry.RunResponse{}, []string{"no status", "--run-id <unknown>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkRun(tt.run, "wpacr1", urn)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			if err == nil {
				t.Fatal("got no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// buildMock answers for the registry's ACR run as ACR reports a run that ended with status.
type buildMock struct {
	status string
	mu     sync.Mutex
	regs   map[string]pulumi.MockResourceArgs
}

func (m *buildMock) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	out := args.Inputs.Copy()
	if strings.HasSuffix(args.TypeToken, ":TaskRun") {
		out["runResult"] = resource.NewProperty(resource.PropertyMap{
			"runId":  resource.NewProperty("cb7"),
			"status": resource.NewProperty(m.status),
		})
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.regs[args.Name] = args
	return args.Name + "-id", out, nil
}

func (m *buildMock) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	if strings.HasSuffix(args.Token, ":listStorageAccountServiceSAS") {
		return resource.PropertyMap{"serviceSasToken": resource.NewProperty("sv=test&sig=mock")}, nil
	}
	return nil, fmt.Errorf("no mock for %s", args.Token)
}

// runImage runs NewImage and a stand-in for a Deployment that runs its Ref, with the ACR run
// reporting status.
func runImage(t *testing.T, cfg config.Config, status string) (*buildMock, error) {
	t.Helper()
	m := &buildMock{status: status, regs: map[string]pulumi.MockResourceArgs{}}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		rg := &ResourceGroup{Name: pulumi.String("rg-wp-dev").ToStringOutput()}
		reg := &Registry{Name: pulumi.String("wpacr1").ToStringOutput(), LoginServer: pulumi.String("wpacr1.azurecr.io").ToStringOutput()}
		img, err := NewImage(ctx, cfg, rg, reg, pulumi.String("abc123").ToStringOutput())
		if err != nil {
			return err
		}
		var d pulumi.CustomResourceState
		return ctx.RegisterResource("test:index:Deployment", "deployment", pulumi.Map{"image": img.Ref}, &d)
	}, pulumi.WithMocks("wordpress-aks", "dev", m))
	return m, err
}

func imageConfig() config.Config {
	cfg := config.Defaults()
	cfg.Project, cfg.Stack = "wordpress-aks", "dev"
	return cfg
}

func TestImageBuildGate(t *testing.T) {
	t.Run("succeeded", func(t *testing.T) {
		m, err := runImage(t, imageConfig(), "Succeeded")
		if err != nil {
			t.Fatal(err)
		}
		run, ok := m.regs["image-build"]
		if !ok {
			t.Fatal("no ACR run registered")
		}
		tag := run.Inputs["forceUpdateTag"].StringValue()
		d, ok := m.regs["deployment"]
		if !ok {
			t.Fatal("the deployment was not registered after a successful build")
		}
		if got, want := d.Inputs["image"].StringValue(), "wpacr1.azurecr.io/wordpress:"+tag; got != want {
			t.Errorf("deployment runs %q, want %q", got, want)
		}
		checkBuildOptions(t, run.RegisterRPC)
	})
	for _, status := range []string{"Failed", "Running", ""} {
		t.Run("status "+status, func(t *testing.T) {
			m, err := runImage(t, imageConfig(), status)
			if err == nil {
				t.Fatal("the program succeeded although the ACR run did not")
			}
			if !strings.Contains(err.Error(), "az acr task logs --registry wpacr1 --run-id cb7") {
				t.Errorf("error %q does not say where the run's log is", err)
			}
			// The Deployment must never see a tag the run did not push.
			if d, ok := m.regs["deployment"]; ok {
				t.Errorf("the deployment was registered with image %v", d.Inputs["image"])
			}
		})
	}
}

// checkBuildOptions asserts the ACR run's options: timeouts that cover the build and its wait
// for an agent, and delete-before-replace so `pulumi up --replace` can re-run it.
func checkBuildOptions(t *testing.T, rpc *pulumirpc.RegisterResourceRequest) {
	t.Helper()
	if rpc == nil {
		t.Fatal("no register request recorded")
	}
	build := time.Duration(imageBuildTimeoutSeconds) * time.Second
	for op, v := range map[string]string{"create": rpc.GetCustomTimeouts().GetCreate(), "update": rpc.GetCustomTimeouts().GetUpdate()} {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Errorf("%s timeout %q: %v", op, v, err)
			continue
		}
		if d < build+10*time.Minute {
			t.Errorf("%s timeout %s does not cover the %s build and ten minutes waiting for an agent", op, d, build)
		}
	}
	if !rpc.GetDeleteBeforeReplace() {
		t.Error("the ACR run is not delete-before-replace")
	}
	if got := rpc.GetVersion(); got != AzureNativeVersion {
		t.Errorf("the ACR run asks for azure-native %q, want %q", got, AzureNativeVersion)
	}
}

func TestPrebuiltImage(t *testing.T) {
	const ref = "ghcr.io/example/wordpress@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	cfg := imageConfig()
	cfg.WordPress.ImageReference = ref
	// The status would fail a build: with a prebuilt image there must be none to fail.
	m, err := runImage(t, cfg, "Failed")
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range m.regs {
		if name != "deployment" {
			t.Errorf("%s (%s) registered for a prebuilt image; want nothing but the deployment", name, r.TypeToken)
		}
	}
	if got := m.regs["deployment"].Inputs["image"].StringValue(); got != ref {
		t.Errorf("deployment runs %q, want %q", got, ref)
	}
}
