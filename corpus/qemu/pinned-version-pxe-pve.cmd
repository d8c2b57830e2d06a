/usr/bin/kvm \
  -id 8006 \
  -name pinned \
  -smbios 'type=1,uuid=c7fdd046-fefc-11e9-832e-770e1d5636a0' \
  -device 'vmgenid,guid=bdd46b98-fefc-11e9-97b4-d72c378e0f96'
