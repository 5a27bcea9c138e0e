import { ProjectHub as ProjectHub_ad991144433e5f49603a9c0a9ccba3e8 } from '@/components/admin/ProjectHub'
import { NextStatusSelectField as NextStatusSelectField_fdae32636618afc0472238573e43401e } from '@/components/admin/NextStatusSelectField'
import { OptionsTextField as OptionsTextField_9d131572f4abdc411a4e005557690b9d } from '@/components/admin/OptionsTextField'
import { QualityTierField as QualityTierField_9c7e55c1c4d510bb8ad2a917becb51a0 } from '@/components/admin/QualityTierField'
import { FigureCell as FigureCell_d221b7fb8982e3457abf60b68a03e6fd } from '@/components/admin/FigureField'
import { FigureField as FigureField_d221b7fb8982e3457abf60b68a03e6fd } from '@/components/admin/FigureField'
import { ProjectField as ProjectField_eb4fefecfe8dd1cc2994ba37fac33a26 } from '@/components/admin/ProjectField'
import { EpisodeScenes as EpisodeScenes_8e59128c73b9793d7bde091738a4dfe9 } from '@/components/admin/EpisodeScenes'
import { EpisodeProduction as EpisodeProduction_58c219aeffebdbf7e9426e680c61c5a6 } from '@/components/admin/EpisodeProduction'
import { EpisodeScreenplay as EpisodeScreenplay_2df42b93fe4ffd6441fbfcf127c2c3b2 } from '@/components/admin/EpisodeScreenplay'
import { SceneMedia as SceneMedia_4ea9ce786bf8bba31cc465ea471c8a9c } from '@/components/admin/SceneMedia'
import { SceneProduction as SceneProduction_32bff250f22d13d4cc65b69003d057b3 } from '@/components/admin/SceneProduction'
import { TaskActions as TaskActions_0a8fc24f174e543cfcb4f36db3c8cd2d } from '@/components/admin/TaskActions'
import { PromptPreview as PromptPreview_a6f068ab4c7127954d673bc0bf35144a } from '@/components/admin/PromptPreview'
import { CurrentPasswordField as CurrentPasswordField_cf1a4b30379bab442a970170a4a2b180 } from '@/components/admin/CurrentPasswordField'
import { Dashboard as Dashboard_0e7b23c75ea046975e1784ba01f82886 } from '@/components/admin/Dashboard'
import { OfflineMonaco as OfflineMonaco_1db4dca447a411e9755fd2ea565c5f79 } from '@/components/admin/OfflineMonaco'
import { CollectionCards as CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1 } from '@payloadcms/next/rsc'

/** @type import('payload').ImportMap */
export const importMap = {
  "@/components/admin/ProjectHub#ProjectHub": ProjectHub_ad991144433e5f49603a9c0a9ccba3e8,
  "@/components/admin/NextStatusSelectField#NextStatusSelectField": NextStatusSelectField_fdae32636618afc0472238573e43401e,
  "@/components/admin/OptionsTextField#OptionsTextField": OptionsTextField_9d131572f4abdc411a4e005557690b9d,
  "@/components/admin/QualityTierField#QualityTierField": QualityTierField_9c7e55c1c4d510bb8ad2a917becb51a0,
  "@/components/admin/FigureField#FigureCell": FigureCell_d221b7fb8982e3457abf60b68a03e6fd,
  "@/components/admin/FigureField#FigureField": FigureField_d221b7fb8982e3457abf60b68a03e6fd,
  "@/components/admin/ProjectField#ProjectField": ProjectField_eb4fefecfe8dd1cc2994ba37fac33a26,
  "@/components/admin/EpisodeScenes#EpisodeScenes": EpisodeScenes_8e59128c73b9793d7bde091738a4dfe9,
  "@/components/admin/EpisodeProduction#EpisodeProduction": EpisodeProduction_58c219aeffebdbf7e9426e680c61c5a6,
  "@/components/admin/EpisodeScreenplay#EpisodeScreenplay": EpisodeScreenplay_2df42b93fe4ffd6441fbfcf127c2c3b2,
  "@/components/admin/SceneMedia#SceneMedia": SceneMedia_4ea9ce786bf8bba31cc465ea471c8a9c,
  "@/components/admin/SceneProduction#SceneProduction": SceneProduction_32bff250f22d13d4cc65b69003d057b3,
  "@/components/admin/TaskActions#TaskActions": TaskActions_0a8fc24f174e543cfcb4f36db3c8cd2d,
  "@/components/admin/PromptPreview#PromptPreview": PromptPreview_a6f068ab4c7127954d673bc0bf35144a,
  "@/components/admin/CurrentPasswordField#CurrentPasswordField": CurrentPasswordField_cf1a4b30379bab442a970170a4a2b180,
  "@/components/admin/Dashboard#Dashboard": Dashboard_0e7b23c75ea046975e1784ba01f82886,
  "@/components/admin/OfflineMonaco#OfflineMonaco": OfflineMonaco_1db4dca447a411e9755fd2ea565c5f79,
  "@payloadcms/next/rsc#CollectionCards": CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1
}
