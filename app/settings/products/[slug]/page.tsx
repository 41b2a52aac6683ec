import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { requireProduct, requireViewer } from "../../../../lib/access";
import { listApiKeys } from "../../../../lib/auth/api-keys";
import { getAppDb } from "../../../../lib/db";
import { listAnnotations } from "../../../../lib/queries/settings-annotations";
import { listFeatures } from "../../../../lib/queries/settings-features";
import { listThemes } from "../../../../lib/queries/settings-themes";
import { listSources } from "../../../../lib/queries/sources";
import { listTargets } from "../../../../lib/queries/targets";
import { AnnotationsSection } from "../../_components/annotations-section";
import { FeaturesSection } from "../../_components/features-section";
import { GeneralSection } from "../../_components/general-section";
import { KeysSection } from "../../_components/keys-section";
import { SourcesSection } from "../../_components/sources-section";
import { TargetsSection } from "../../_components/targets-section";
import { ThemesSection } from "../../_components/themes-section";

export const metadata: Metadata = { title: "Product settings" };

const SECTIONS = [
  ["general", "Product"],
  ["features", "Features"],
  ["themes", "Themes"],
  ["targets", "Targets"],
  ["sources", "Sources"],
  ["keys", "API keys"],
  ["annotations", "Annotations"],
] as const;

/** Everything a lead PM configures for one product (404 for anyone who may not configure it). */
export default async function ProductSettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  await connection();
  const { slug } = await params;
  const viewer = await requireViewer(`/settings/products/${slug}`);
  const db = await getAppDb();
  const product = await requireProduct(db, viewer, slug, "configure");
  const [features, themes, targets, sources, keys, annotations] = await Promise.all([
    listFeatures(db, product.id),
    listThemes(db, product.id),
    listTargets(db, product.id),
    listSources(db, { productId: product.id }),
    listApiKeys(db, product.id),
    listAnnotations(db, product.id),
  ]);
  return (
    <>
      <p className="muted">
        <Link href="/settings">Settings</Link> /
      </p>
      <h1>{product.name}</h1>
      <p className="subtitle">
        Settings of <Link href={`/products/${product.slug}`}>{product.name}</Link>. Changes apply to every
        dashboard at once.
      </p>
      <nav className="ns-subnav" aria-label="Sections">
        {SECTIONS.map(([id, label]) => (
          <a key={id} href={`#${id}`}>
            {label}
          </a>
        ))}
      </nav>
      <GeneralSection product={product} />
      <FeaturesSection slug={product.slug} features={features} />
      <ThemesSection slug={product.slug} themes={themes} />
      <TargetsSection slug={product.slug} targets={targets} />
      <SourcesSection slug={product.slug} timezone={product.timezone} sources={sources} />
      <KeysSection slug={product.slug} timezone={product.timezone} keys={keys} />
      <AnnotationsSection slug={product.slug} timezone={product.timezone} annotations={annotations} />
    </>
  );
}
