import Link from "next/link";

export default function NotFound() {
  return (
    <>
      <h1>Not found</h1>
      <p className="subtitle">There is no such page or product.</p>
      <Link href="/">Back to the portfolio</Link>
    </>
  );
}
