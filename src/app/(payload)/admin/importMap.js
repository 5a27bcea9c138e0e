import { OptionsTextField as OptionsTextField_9d131572f4abdc411a4e005557690b9d } from '@/components/admin/OptionsTextField'
import { CollectionCards as CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1 } from '@payloadcms/next/rsc'

/** @type import('payload').ImportMap */
export const importMap = {
  "@/components/admin/OptionsTextField#OptionsTextField": OptionsTextField_9d131572f4abdc411a4e005557690b9d,
  "@payloadcms/next/rsc#CollectionCards": CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1
}
