// The fake OpenAI server in a process of its own, so a bench measures the client side only.
import { FakeOpenAi } from '../test/helpers/fake-openai.js';

const fake = new FakeOpenAi();
await fake.start();
process.send?.({ baseUrl: fake.baseUrl });
process.on('disconnect', () => void fake.stop().then(() => process.exit(0)));
