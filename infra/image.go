package infra

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/example/wordpress-aks/config"
	"github.com/pulumi/pulumi-azure-native-sdk/containerregistry/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/storage/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Image is the WordPress image the Deployments run.
type Image struct {
	// Ref is the full, pinned reference: <registry>/wordpress:<content hash> once the ACR run
	// that pushes it reports success, wordpress.image in our registry, or
	// wordpress.imageReference as given.
	Ref pulumi.StringOutput
	// Build is the ACR run that pushes it; workloads wait for it. Nil when the image is pinned
	// in config.
	Build pulumi.Resource
}

const (
	// ImageContextDir is the Docker build context, relative to the project root.
	ImageContextDir  = "images/wordpress"
	imageRepository  = "wordpress"
	contextContainer = "image-context"
	// imageContextSASExpiry is fixed so the signed URL, and with it the build, only changes when
	// the context does. It grants read access to one blob that holds nothing but the public build
	// context, and it is a Pulumi secret.
	imageContextSASExpiry = "2099-12-31T00:00:00Z"
	// imageBuildTimeoutSeconds bounds one ACR build (the run's own timeout).
	imageBuildTimeoutSeconds = 1800
	// imageBuildQueueSeconds is what the run may wait for an agent before it starts, and the
	// push after the build: ACR reports waits of over ten minutes for an agent at busy times.
	imageBuildQueueSeconds = 1200
	// contextHashLength is the length of the content hash used as image tag.
	contextHashLength = 16
	// taskRunSucceeded is the run status (ACR RunStatus) of a run that built and pushed.
	taskRunSucceeded = "Succeeded"
)

// ImageBuildTimeout is the create and update timeout of the ACR run: the build's own timeout
// plus the wait for an agent and the push. Without it the provider's default bounds the wait,
// which says nothing about our build.
var ImageBuildTimeout = (time.Duration(imageBuildTimeoutSeconds+imageBuildQueueSeconds) * time.Second).String()

// NewImage gets our image into the registry without a Docker engine anywhere: the program packs
// images/wordpress into a reproducible tarball, uploads it as a blob, and has ACR build it (what
// `az acr build` does). The tag is the context's content hash, so any change under images/ is
// a new tag, a new build and a rolling update of the Deployments; an unchanged context rebuilds
// nothing. With wordpress.imageReference (or wordpress.image) set, nothing is built.
func NewImage(ctx *pulumi.Context, cfg config.Config, rg *ResourceGroup, reg *Registry, suffix pulumi.StringOutput) (*Image, error) {
	if ref := cfg.WordPress.ImageReference; ref != "" {
		return prebuiltImage(ctx, ref, reg), nil
	}
	if cfg.WordPress.Image != "" {
		return &Image{Ref: pulumi.Sprintf("%s/%s", reg.LoginServer, cfg.WordPress.Image)}, nil
	}
	root, err := ProjectRoot()
	if err != nil {
		return nil, fmt.Errorf("find image context: %w", err)
	}
	archive, hash, err := packContext(filepath.Join(root, ImageContextDir))
	if err != nil {
		return nil, fmt.Errorf("pack image context: %w", err)
	}
	tag := hash[:contextHashLength]
	archivePath := filepath.Join(os.TempDir(), fmt.Sprintf("wordpress-image-%s.tar.gz", hash))
	if err := os.WriteFile(archivePath, archive, 0o644); err != nil {
		return nil, fmt.Errorf("write image context: %w", err)
	}

	account, err := storage.NewStorageAccount(ctx, "image-context-storage", &storage.StorageAccountArgs{
		AccountName:            suffix.ApplyT(cfg.Names().ImageStorage).(pulumi.StringOutput),
		ResourceGroupName:      rg.Name,
		Location:               pulumi.String(cfg.Location),
		Tags:                   tags(cfg),
		Kind:                   pulumi.String("StorageV2"),
		Sku:                    &storage.SkuArgs{Name: pulumi.String("Standard_LRS")},
		AllowBlobPublicAccess:  pulumi.Bool(false),
		EnableHttpsTrafficOnly: pulumi.Bool(true),
		MinimumTlsVersion:      pulumi.String("TLS1_2"),
		// The signed URL ACR reads the context through is signed with the account key.
		AllowSharedKeyAccess: pulumi.Bool(true),
	})
	if err != nil {
		return nil, fmt.Errorf("create image context storage: %w", err)
	}
	container, err := storage.NewBlobContainer(ctx, "image-context-container", &storage.BlobContainerArgs{
		ContainerName:     pulumi.String(contextContainer),
		AccountName:       account.Name,
		ResourceGroupName: rg.Name,
		PublicAccess:      storage.PublicAccessNone,
	})
	if err != nil {
		return nil, fmt.Errorf("create image context container: %w", err)
	}
	blobName := fmt.Sprintf("wordpress-%s.tar.gz", tag)
	blob, err := storage.NewBlob(ctx, "image-context-blob", &storage.BlobArgs{
		BlobName:          pulumi.String(blobName),
		ContainerName:     container.Name,
		AccountName:       account.Name,
		ResourceGroupName: rg.Name,
		Type:              storage.BlobTypeBlock,
		ContentType:       pulumi.String("application/gzip"),
		Source:            pulumi.NewFileAsset(archivePath),
	})
	if err != nil {
		return nil, fmt.Errorf("upload image context: %w", err)
	}
	sas := storage.ListStorageAccountServiceSASOutput(ctx, storage.ListStorageAccountServiceSASOutputArgs{
		ResourceGroupName:      rg.Name,
		AccountName:            account.Name,
		CanonicalizedResource:  pulumi.Sprintf("/blob/%s/%s/%s", account.Name, contextContainer, blobName),
		Resource:               pulumi.String("b"),
		Permissions:            pulumi.String("r"),
		Protocols:              storage.HttpProtocolHttps,
		SharedAccessExpiryTime: pulumi.String(imageContextSASExpiry),
	})
	sourceURL := pulumi.ToSecret(pulumi.Sprintf("https://%s.blob.core.windows.net/%s/%s?%s",
		account.Name, contextContainer, blobName, sas.ServiceSasToken())).(pulumi.StringOutput)

	// The run is a TaskRun (API 2019-06-01-preview), and two things about it are not to be
	// trusted (pulumi-azure-native#1713, azure-rest-api-specs#19159, both open):
	//   - ACR answers the create with an Azure-AsyncOperation URL that repeats its
	//     operationStatuses/<id> segment. Polling it gets 404s, and the provider gives up with
	//     "the number of retries has been exceeded" while the build goes on (in both reports,
	//     to success). The provider then reads the TaskRun by id and returns it with the error
	//     (ErrorResourceInitFailed, provider/pkg/provider/crud HandleErrorWithCheckpoint), so
	//     `pulumi up` fails but the stack keeps the run. `pulumi refresh` reads the run's real
	//     result, and the next `pulumi up` goes through the status check below. Retrying the
	//     create would not help: the fault is in ACR's answer, not in a transient error.
	//   - Nothing documents that a failed build fails the create. So the run's own result is
	//     checked: the image reference is built from it and resolves only when the run
	//     reports Succeeded. Otherwise the Deployments never get a reference, their
	//     registration fails, and `pulumi up` fails with the run id and how to read its log,
	//     instead of pointing pods at a tag that was never pushed.
	// The custom timeouts let the provider wait out a slow agent and the full build.
	// DeleteBeforeReplace lets `pulumi up --replace` re-run an unchanged build (the TaskRun
	// name is fixed, so a new run can only start once the old record is gone).
	run, err := containerregistry.NewTaskRun(ctx, "image-build", &containerregistry.TaskRunArgs{
		TaskRunName:       pulumi.String("build-wordpress"),
		RegistryName:      reg.Name,
		ResourceGroupName: rg.Name,
		Location:          pulumi.String(cfg.Location),
		// A new hash re-runs the build even where nothing else in the request changed.
		ForceUpdateTag: pulumi.String(tag),
		RunRequest: &containerregistry.DockerBuildRequestArgs{
			Type:           pulumi.String("DockerBuildRequest"),
			DockerFilePath: pulumi.String("Dockerfile"),
			ImageNames:     pulumi.StringArray{pulumi.String(imageRepository + ":" + tag)},
			IsPushEnabled:  pulumi.Bool(true),
			NoCache:        pulumi.Bool(false),
			Platform: &containerregistry.PlatformPropertiesArgs{
				Os:           pulumi.String("Linux"),
				Architecture: pulumi.String("amd64"),
			},
			SourceLocation: sourceURL,
			Timeout:        pulumi.Int(imageBuildTimeoutSeconds),
		},
	}, pulumi.DependsOn([]pulumi.Resource{blob}),
		pulumi.AdditionalSecretOutputs([]string{"runRequest"}),
		pulumi.Timeouts(&pulumi.CustomTimeouts{Create: ImageBuildTimeout, Update: ImageBuildTimeout}),
		pulumi.DeleteBeforeReplace(true))
	if err != nil {
		return nil, fmt.Errorf("build image in acr: %w", err)
	}
	ref := pulumi.All(reg.LoginServer, reg.Name, run.RunResult, run.URN()).ApplyT(func(v []any) (string, error) {
		result := v[2].(containerregistry.RunResponse)
		if err := checkRun(result, v[1].(string), string(v[3].(pulumi.URN))); err != nil {
			return "", err
		}
		return fmt.Sprintf("%s/%s:%s", v[0], imageRepository, tag), nil
	}).(pulumi.StringOutput)
	return &Image{Ref: ref, Build: run}, nil
}

// checkRun refuses an ACR run that did not report success, saying where its log is.
func checkRun(r containerregistry.RunResponse, registry, urn string) error {
	runID := "<unknown>"
	if r.RunId != nil && *r.RunId != "" {
		runID = *r.RunId
	}
	status := ""
	if r.Status != nil {
		status = *r.Status
	}
	if status == taskRunSucceeded {
		return nil
	}
	logs := fmt.Sprintf("az acr task logs --registry %s --run-id %s", registry, runID)
	switch status {
	case "Queued", "Started", "Running":
		return fmt.Errorf("image build: acr run %s is still %s, so the image may not be pushed yet; "+
			"follow it with `%s`, then run `pulumi refresh` and `pulumi up`", runID, status, logs)
	case "":
		return fmt.Errorf("image build: acr run %s reports no status; read it with `%s`, "+
			"then run `pulumi refresh` and `pulumi up`", runID, logs)
	}
	msg := fmt.Sprintf("image build: acr run %s ended %s, so the image was not pushed", runID, status)
	if r.RunErrorMessage != "" {
		msg += ": " + r.RunErrorMessage
	}
	return fmt.Errorf("%s; read its log with `%s`. A change under %s starts a new build at the "+
		"next `pulumi up`; to re-run an unchanged one (a registry or network outage), run "+
		"`pulumi up --replace '%s'`", msg, logs, ImageContextDir, urn)
}

// prebuiltImage deploys wordpress.imageReference as it is. Config validation made sure it names
// its registry and is pinned; here the program says what the nodes need to pull it.
func prebuiltImage(ctx *pulumi.Context, ref string, reg *Registry) *Image {
	if !strings.Contains(ref, "@sha256:") {
		ctx.Log.Warn(fmt.Sprintf("wordpress.imageReference %q is pinned by tag: a push to the same tag changes what new pods run; pin it by digest (@sha256:...)", ref), nil)
	}
	host, _, _ := strings.Cut(ref, "/")
	// The kubelet identity has AcrPull on the stack's registry only (access.go).
	reg.LoginServer.ApplyT(func(login string) string {
		if !strings.EqualFold(host, login) {
			ctx.Log.Warn(fmt.Sprintf("wordpress.imageReference is in %s, not in the stack's registry %s: "+
				"the nodes pull it with the cluster's kubelet identity, so %s must grant that identity AcrPull "+
				"(an ACR: `az aks update --attach-acr`) or allow anonymous pull", host, login, host), nil)
		}
		return login
	})
	return &Image{Ref: pulumi.String(ref).ToStringOutput()}
}

// ProjectRoot is the directory holding Pulumi.yaml: the program's working directory under
// `pulumi up`, a parent of it in tests and tools.
func ProjectRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "Pulumi.yaml")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no Pulumi.yaml in the working directory or above")
		}
		dir = parent
	}
}

// packContext returns a gzipped tarball of dir and the SHA-256 of its uncompressed tar stream.
// Entries are sorted and carry no times or owners, so the same files give the same hash on any
// machine, and only content and file modes count.
func packContext(dir string) ([]byte, string, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	if len(paths) == 0 {
		return nil, "", fmt.Errorf("%s is empty", dir)
	}
	sort.Strings(paths)
	var raw bytes.Buffer
	tw := tar.NewWriter(&raw)
	for _, p := range paths {
		info, err := os.Lstat(p)
		if err != nil {
			return nil, "", err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return nil, "", err
		}
		hdr := &tar.Header{Name: filepath.ToSlash(rel), Mode: int64(info.Mode().Perm()), Format: tar.FormatPAX}
		switch {
		case info.IsDir():
			hdr.Typeflag, hdr.Name = tar.TypeDir, hdr.Name+"/"
		case info.Mode().IsRegular():
			hdr.Typeflag, hdr.Size = tar.TypeReg, info.Size()
		default:
			return nil, "", fmt.Errorf("%s: only files and directories may be in the build context", rel)
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, "", err
		}
		if hdr.Typeflag == tar.TypeReg {
			b, err := os.ReadFile(p)
			if err != nil {
				return nil, "", err
			}
			if _, err := tw.Write(b); err != nil {
				return nil, "", err
			}
		}
	}
	if err := tw.Close(); err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(raw.Bytes())
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return nil, "", err
	}
	if _, err := zw.Write(raw.Bytes()); err != nil {
		return nil, "", err
	}
	if err := zw.Close(); err != nil {
		return nil, "", err
	}
	return gz.Bytes(), hex.EncodeToString(sum[:]), nil
}
