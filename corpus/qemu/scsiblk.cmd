/usr/bin/kvm \
  -id 8006 \
  -name vm8006 \
  -smbios 'type=1,uuid=d47e2d5c-7068-46d4-9733-ff94083e28f6' \
  -device 'vmgenid,guid=0a212e2f-0d9a-4006-971e-17be9fcf3efe'
