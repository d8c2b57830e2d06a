/usr/bin/kvm \
  -id 8006 \
  -name simple \
  -smbios 'type=1,uuid=7b10d7af-b932-4c66-b2c3-3996152ec465' \
  -device 'vmgenid,guid=c773c261-d800-4348-9f5d-167fadd53cf8'
