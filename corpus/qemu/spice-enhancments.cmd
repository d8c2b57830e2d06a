/usr/bin/kvm \
  -id 8006 \
  -name vm8006 \
  -smbios 'type=1,uuid=363a6126-5f48-43e1-811f-013294a946a0' \
  -device 'vmgenid,guid=719b9591-1b0d-4e43-bca2-22b9ffbd3568'
