package infra

import (
	"fmt"

	"github.com/pulumi/pulumi-azure-native-sdk/authorization/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// lockNote tells whoever meets the lock in the portal why it is there and how it goes away.
const lockNote = "Holds the blogs' data. Managed by Pulumi (deletionProtection); set deletionProtection to false and run pulumi up to remove it."

// NewDeleteLocks puts an Azure CanNotDelete lock on each resource that holds user data, so that
// neither a portal click nor another tool can delete it: Pulumi's protect only guards against
// Pulumi. A lock on the MySQL server also covers its databases. The lock takes the resource's
// id as an output, so on an intentional teardown Pulumi removes the lock first.
func NewDeleteLocks(ctx *pulumi.Context, targets map[string]pulumi.IDOutput) error {
	for _, name := range sortedNames(targets) {
		_, err := authorization.NewManagementLockByScope(ctx, "lock-"+name, &authorization.ManagementLockByScopeArgs{
			LockName: pulumi.String("do-not-delete-" + name),
			Scope:    targets[name].ToStringOutput(),
			Level:    pulumi.String("CanNotDelete"),
			Notes:    pulumi.String(lockNote),
		})
		if err != nil {
			return fmt.Errorf("lock %s: %w", name, err)
		}
	}
	return nil
}
