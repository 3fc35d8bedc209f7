package program

// The sites' generated secrets: made here with pulumi-random and handed to the Kubernetes layer,
// so that the layer registers no random resource and can run through the engine wherever the
// kubernetes provider runs, with secrets of a test's own.

import (
	"github.com/example/wordpress-aks/config"
	"github.com/example/wordpress-aks/infra"
	"github.com/example/wordpress-aks/k8s"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const (
	// dbPasswordLength is a site's MySQL password length: well inside MySQL's limits, and
	// 32 of 66 characters is about 190 bits.
	dbPasswordLength = 32
	// authKeyLength is each WordPress key's and salt's length, the 64 characters of
	// WordPress's own secret-key service.
	authKeyLength = 64
)

// newSiteSecrets generates every site's database password and WordPress keys and salts.
//
// They keep the logical names they had as children of the site's component, and an alias
// to that old parent: without it the engine would see new resources, replace every password
// and key, and a `pulumi up` would log every user out and lock the sites out of their
// databases until the provisioning Job and the pods caught up.
func newSiteSecrets(ctx *pulumi.Context, cfg config.Config) (map[string]k8s.SiteSecrets, error) {
	out := map[string]k8s.SiteSecrets{}
	for _, site := range cfg.Sites {
		alias := pulumi.Aliases([]pulumi.Alias{{ParentURN: k8s.SiteURN(ctx, site.Name)}})
		db, err := infra.NewPassword(ctx, site.Name+"-db-password", dbPasswordLength, alias)
		if err != nil {
			return nil, err
		}
		s := k8s.SiteSecrets{DBPassword: db, AuthKeys: map[string]pulumi.StringOutput{}}
		for _, k := range k8s.WordPressKeys() {
			v, err := infra.NewPassword(ctx, site.Name+"-"+k8s.SecretFile(k), authKeyLength, alias)
			if err != nil {
				return nil, err
			}
			s.AuthKeys[k] = v
		}
		out[site.Name] = s
	}
	return out, nil
}
