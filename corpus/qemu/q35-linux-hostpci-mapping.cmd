/usr/bin/kvm \
  -id 8006 \
  -name vm8006 \
  -smbios 'type=1,uuid=3dd750ce-d910-44d0-9493-525c0be4e687' \
  -device 'vmgenid,guid=54d1c06c-8f5b-440f-b5b2-6eab1380e13d'
